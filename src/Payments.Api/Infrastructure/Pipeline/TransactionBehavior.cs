using System.Data.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;

namespace Payments.Api.Infrastructure.Pipeline;

/// <summary>
/// A command whose handler only reads and changes tracked entities (no SQL of its own), and whose races are all settled
/// at commit by a unique index or a concurrency token. On SQLite its handler runs outside the writers' queue, so only
/// the save itself waits for the single writer (ADR-0021). Work that must see the writer's state (a receipt number) goes
/// in a <see cref="PaymentsDbContext.BeforeSave"/> step, which runs in the turn.
/// </summary>
public interface IOptimisticCommand;

/// <summary>
/// An optimistic command whose handler takes no lock and runs no SQL that must share its save's transaction (creating
/// an order). On PostgreSQL it runs before any transaction begins, and a save of only new rows is then one batch that
/// PostgreSQL commits as one implicit transaction: one round trip for the whole write (ADR-0037).
/// </summary>
public interface IUnlockedCommand : IOptimisticCommand;

/// <summary>
/// One transaction per command: the handler changes tracked entities, this saves and commits them together, or
/// rolls all of it back when the handler returns a failure. When the store refuses a write because another request
/// won a race (unique index, concurrency token), the whole command runs again on fresh state and sees the winner.
/// On SQLite commands take turns on the writer's connection: with group commit each behind a savepoint, sharing its
/// transaction with the commands queued behind them; without, alone in a transaction of its own (no savepoint, rolled
/// back whole). Either way they are answered after the commit that holds their writes (<see cref="IGroupCommit"/>).
/// </summary>
public sealed class TransactionBehavior<TMessage, TResponse>(PaymentsDbContext db, IWriteGate gate, IGroupCommit group,
    ILogger<TransactionBehavior<TMessage, TResponse>> log)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    private const int MaxRuns = 4;
    private static readonly bool Optimistic = typeof(IOptimisticCommand).IsAssignableFrom(typeof(TMessage));
    private static readonly bool Unlocked = typeof(IUnlockedCommand).IsAssignableFrom(typeof(TMessage));

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        try
        {
            return group.Enabled ? await Grouped(message, next, ct)
                : Unlocked && db.Store == StoreKind.Postgres ? await Unbound(message, next, ct)
                : await Alone(message, next, ct);
        }
        finally { db.CommandRun = 0; } // the pooled context's next user is outside a command until its own pipeline says
    }

    /// <summary>The handler and its save in one transaction of their own (serialised on SQLite).</summary>
    private async ValueTask<TResponse> Alone(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        for (var run = 1; ; run++)
        {
            using var _ = await gate.EnterAsync(ct);
            db.RolledBack(); // a pooled context starts clean, whatever an earlier request left
            db.CommandRun = run;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // The transaction is the command's own and is rolled back whole on any failure, so EF's savepoint around each
            // save buys nothing; on PostgreSQL it cost two round trips per command (SAVEPOINT, RELEASE).
            db.Database.AutoSavepointsEnabled = false;
            try
            {
                var response = await next(message, ct);
                if (IsFailure(response))
                {
                    await tx.RollbackAsync(ct);
                    Forget();
                    return response;
                }
                await db.SaveAllAsync(ct);
                await tx.CommitAsync(ct);
                db.Committed();
                return response;
            }
            catch (DbUpdateException ex) when (run < MaxRuns && IsLostRace(ex))
            {
                LogLostRace(run);
                await tx.RollbackAsync(CancellationToken.None);
                Forget();
            }
            finally { db.Database.AutoSavepointsEnabled = true; }
        }
    }

    /// <summary>
    /// PostgreSQL, an <see cref="IUnlockedCommand"/>: the handler outside any transaction, then its new rows in one batch
    /// (PostgreSQL's implicit transaction), or any other save in a transaction of its own as <see cref="Alone"/> makes.
    /// </summary>
    private async ValueTask<TResponse> Unbound(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        for (var run = 1; ; run++)
        {
            db.RolledBack();
            db.CommandRun = run;
            var response = await next(message, ct);
            if (IsFailure(response))
            {
                Forget();
                return response;
            }
            try
            {
                if (db.SavesOnlyNewRows) await db.SaveNewRowsAsync(ct);
                else if (!db.SavesNothing)
                {
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    db.Database.AutoSavepointsEnabled = false;
                    try
                    {
                        await db.SaveAllAsync(ct);
                        await tx.CommitAsync(ct);
                    }
                    finally { db.Database.AutoSavepointsEnabled = true; }
                }
                db.Committed();
                return response;
            }
            catch (DbUpdateException ex) when (run < MaxRuns && IsLostRace(ex))
            {
                LogLostRace(run);
                Forget();
            }
        }
    }

    private enum Outcome { Written, Failed, LostRace }

    private async ValueTask<TResponse> Grouped(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        for (var run = 1; ; run++)
        {
            db.RolledBack();
            db.CommandRun = run;
            TResponse response = default!;
            if (Optimistic)
            {
                response = await next(message, ct);
                if (IsFailure(response))
                {
                    Forget();
                    return response;
                }
            }

            // An optimistic command's save is known before its turn. When it is only plain inserts, they run on the writer's
            // connection as it is: EF is not handed the connection, since none of its own SQL runs, and no savepoint is set,
            // since the rows are deleted again should one of them be refused (ADR-0032). A savepoint copies every page the
            // command touches into its journal first.
            var insertsOnly = Optimistic && db.SavesOnlyInserts;
            var turn = await group.TakeTurnAsync();
            Outcome outcome;
            var own = db.Database.GetDbConnection();
            try
            {
                if (!insertsOnly)
                {
                    db.Database.SetDbConnection(turn.Connection, contextOwnsConnection: false);
                    db.Database.UseTransaction(turn.Transaction);
                    db.Database.AutoSavepointsEnabled = false; // the savepoint below covers the handler's own SQL too
                }
                db.CommitsInGroup = group.Groups;
                // Alone in its group (group commit off), the transaction is the command's own: undone whole, no savepoint.
                var alone = !group.Groups;
                var guarded = !alone && !insertsOnly;
                if (guarded) Savepoint(turn, "SAVEPOINT \"command\"");
                try
                {
                    if (!Optimistic) response = await next(message, ct);
                    if (IsFailure(response))
                    {
                        await UndoAsync(turn, alone, guarded);
                        outcome = Outcome.Failed;
                    }
                    else
                    {
                        if (insertsOnly) await db.SaveInsertsAsync(turn.Connection, turn.Transaction, ct);
                        else await db.SaveAllAsync(ct);
                        if (guarded) Savepoint(turn, "RELEASE SAVEPOINT \"command\"");
                        group.AtCommit(db.TakeAtCommit());
                        outcome = Outcome.Written;
                    }
                }
                catch (DbUpdateException ex) when (run < MaxRuns && IsLostRace(ex))
                {
                    LogLostRace(run);
                    await UndoAsync(turn, alone, guarded);
                    outcome = Outcome.LostRace;
                }
                catch (Exception failure)
                {
                    try { await UndoAsync(turn, alone, guarded); }
                    catch (Exception undo) { throw new AggregateException(failure, undo); } // keep the first cause in view
                    Forget();
                    throw;
                }
            }
            finally
            {
                if (!insertsOnly)
                {
                    db.Database.UseTransaction(null);
                    db.Database.SetDbConnection(own, contextOwnsConnection: !db.Keeps(own)); // a kept connection stays the context's, not EF's
                    db.Database.AutoSavepointsEnabled = true;
                }
                db.CommitsInGroup = false;
                group.EndTurn(turn);
            }
            // The writer's turn is everybody's: hand it on before answering. Releasing the turn queued the next command's
            // continuation behind this thread's own work, which is the rest of this request (its answer written out), so
            // the writer stood idle meanwhile. Yielding puts this request's answer on the pool's queue and lets this thread
            // run the next turn now. P1 (a commit per command): +13 % to +38 % in alternating runs; P2 +7 to +9 %.
            if (turn.Committed.IsCompleted && group.Waiting) await Task.Yield();

            // Answer only once the group's commit holds (or would have held) this command's writes. A failure decided on
            // the group's uncommitted state waits too: if the group fails, so does the answer — and what this command
            // made stale in the read cache is dropped again, since others in the group may have cached its uncommitted state.
            try { await turn.Committed; }
            catch
            {
                Forget();
                throw;
            }
            switch (outcome)
            {
                case Outcome.Written:
                    db.Committed();
                    return response;
                case Outcome.Failed:
                    Forget();
                    return response;
                default:
                    Forget(); // the winner is committed now; run again and see it
                    break;
            }
        }
    }

    /// <summary>
    /// Sets or releases the command's savepoint in the group's transaction: as <c>SqliteTransaction.Save</c> and
    /// <c>Release</c> do, but on a statement kept prepared on the writer's connection (ADR-0030). Turns are SQLite's only.
    /// </summary>
    private static void Savepoint(GroupTurn turn, string sql) => SqliteNative.Run((Microsoft.Data.Sqlite.SqliteConnection)turn.Connection, sql);

    /// <summary>
    /// Takes back this command's writes: the whole transaction when alone; in a shared group, to its savepoint, or — for a
    /// save of plain inserts only, which has none — by deleting the rows its inserts wrote.
    /// </summary>
    private async ValueTask UndoAsync(GroupTurn turn, bool alone, bool guarded)
    {
        if (alone)
        {
            group.Discard(turn);
            return;
        }
        try
        {
            if (guarded) await turn.Transaction.RollbackAsync("command", CancellationToken.None);
            else RowInserter.Undo(db, (Microsoft.Data.Sqlite.SqliteConnection)turn.Connection);
        }
        catch (Exception ex)
        {
            // The command's writes are still in the group's transaction: the group must not commit them.
            group.Poison(ex);
            throw;
        }
    }

    private void Forget()
    {
        db.ChangeTracker.Clear();
        db.RolledBack();
    }

    private void LogLostRace(int run) =>
        log.LogInformation("{Command} was refused by a unique key or a concurrency check (run {Run}): another request won a race, " +
            "or an Idempotency-Key was used before; running it again on fresh state", typeof(TMessage).Name, run);

    private static bool IsFailure(TResponse response) => response is IOutcome { IsSuccess: false };

    private static bool IsLostRace(DbUpdateException ex) =>
        ex is DbUpdateConcurrencyException || StoreErrors.IsUniqueViolation(ex);
}
