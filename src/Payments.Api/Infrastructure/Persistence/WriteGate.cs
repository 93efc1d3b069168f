using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>SQLite's single writer: one turn at a time on one writer connection, grouped commits (ADR-0004, ADR-0021; contracts in WriteGate.Contracts.cs, the turn in WriteGate.TurnLock.cs).</summary>
internal sealed partial class SingleWriterGate(DbContextOptions<SqlitePaymentsDbContext>? writerOptions, bool groupCommit, int maxGroup, TimeSpan maxGroupAge,
    ILogger<SingleWriterGate>? log) : IWriteGate, IGroupCommit, IDisposable
{
    private readonly TurnLock _turn = new();
    private SqlitePaymentsDbContext? _writer; // owns the writer connection; only touched by the holder of the turn
    private Group? _open;

    public bool Serialises => true;

    /// <summary>
    /// Commands take turns on the writer connection. Without group commit each turn is a group of one, committed as the
    /// turn ends — one commit per command as before — but on the long-lived writer connection, whose statements stay
    /// prepared (a pooled connection is closed after each request and parses its INSERTs again on the next).
    /// </summary>
    public bool Enabled => writerOptions is not null;

    private int MaxGroup => groupCommit ? maxGroup : 1;

    public bool Groups => Enabled && MaxGroup > 1;

    public bool Waiting => _turn.Waiting > 0;

    public void AtCommit(IEnumerable<Action<DbConnection, DbTransaction>> steps) =>
        (_open ?? throw new InvalidOperationException("No commit group is open.")).Steps.AddRange(steps);

    public void Poison(Exception cause)
    {
        if (_open is { } group) group.Poisoned ??= cause;
    }

    public void Discard(GroupTurn turn)
    {
        if (_open is not { Members: 1 } group || group.Transaction != turn.Transaction)
            throw new InvalidOperationException("Only a group of one is discarded whole, by its own command.");
        _open = null;
        try
        {
            group.Transaction.Rollback();
            group.Transaction.Dispose();
            group.Done.SetResult();
        }
        catch (Exception ex)
        {
            ResetWriter();
            group.Done.SetException(ex);
        }
    }

    /// <summary>Commands waiting for a turn now (tests and diagnostics).</summary>
    internal int Queued => _turn.Waiting;

    /// <summary>Groups committed, and the turns they held, since start (the mean group size is their ratio).</summary>
    public long CommittedGroups => Interlocked.Read(ref _committedGroups);
    public long CommittedTurns => Interlocked.Read(ref _committedTurns);
    private long _committedGroups, _committedTurns;

    public async ValueTask<IDisposable> EnterAsync(CancellationToken ct)
    {
        // Not cancellable while queued: a holder that saw us queued left its group open for us to commit.
        await _turn.WaitAsync(groupTurn: false);
        try
        {
            CommitOpenGroup();
            ct.ThrowIfCancellationRequested();
        }
        catch { _turn.Release(inline: false); throw; }
        return new Releaser(_turn);
    }

    public async ValueTask<GroupTurn> TakeTurnAsync()
    {
        await _turn.WaitAsync(groupTurn: true);
        try
        {
            if (_open is null)
            {
                if (_writer is null)
                {
                    var writer = new SqlitePaymentsDbContext(writerOptions!);
                    try
                    {
                        await writer.Database.OpenConnectionAsync(); // the interceptor sets synchronous=FULL on it
                        // Each command's savepoint journals the pages it changes. Past 64 KiB, a few creates into a group,
                        // SQLite spilled that journal to a temporary file (written, then deleted): in memory it stays (ADR-0031).
                        await writer.Database.ExecuteSqlRawAsync("PRAGMA temp_store=MEMORY");
                    }
                    catch
                    {
                        await writer.DisposeAsync(); // the next turn starts again rather than reuse a writer half set up
                        throw;
                    }
                    _writer = writer;
                }
                var connection = (SqliteConnection)_writer.Database.GetDbConnection();
                _open = new Group(connection.BeginTransaction(deferred: false));
            }
            _open.Members++;
            return new GroupTurn(_open.Transaction.Connection!, _open.Transaction, _open.Done.Task);
        }
        catch
        {
            _turn.Release(inline: false);
            throw;
        }
    }

    public void EndTurn(GroupTurn turn)
    {
        var joinsThisGroup = false;
        try
        {
            if (_open is { } group && (group.Poisoned is not null || _turn.Waiting == 0 || group.Members >= MaxGroup
                                       || group.Age >= maxGroupAge))
                CommitOpenGroup();
            joinsThisGroup = _open is not null;
        }
        finally
        {
            // The next command joins the open group: it runs its turn on this thread now, not after a wake-up on another
            // (its group's members are answered at the commit anyway). The chain is as long as the group, which is bounded
            // (MaxGroup, MaxGroupAgeMs). After a commit the turn goes back through the thread pool, so chains never nest
            // across groups; the command that committed then yields this thread to the next group (TransactionBehavior).
            _turn.Release(inline: joinsThisGroup);
        }
    }

    /// <summary>Called by the holder of the turn only.</summary>
    private void CommitOpenGroup()
    {
        if (_open is not { } group) return;
        _open = null;
        try
        {
            if (group.Poisoned is { } cause)
                throw new InvalidOperationException("A command's writes in this group could not be undone; the group is rolled back whole.", cause);
            foreach (var step in group.Steps) step(group.Transaction.Connection!, group.Transaction);
            group.Transaction.Commit();
            group.Transaction.Dispose();
            Interlocked.Increment(ref _committedGroups);
            Interlocked.Add(ref _committedTurns, group.Members);
            group.Done.SetResult();
        }
        catch (Exception ex)
        {
            log?.LogError(ex, "A commit group of {Members} command(s) failed to commit; none of them was written", group.Members);
            try { group.Transaction.Dispose(); } catch { /* the connection is reset below */ }
            ResetWriter();
            group.Done.SetException(ex);
        }
    }

    private void ResetWriter()
    {
        try { _writer?.Dispose(); } catch { /* a broken connection */ }
        _writer = null;
    }

    /// <summary>At shutdown: commits an open group as the holder of the turn (never under a command still in its turn).</summary>
    public void Dispose()
    {
        var held = _turn.Wait(TimeSpan.FromSeconds(10));
        try
        {
            if (held) CommitOpenGroup();
            else log?.LogWarning("A command still held the writer's turn at shutdown; its open group is not committed");
        }
        finally
        {
            if (held) _turn.Release(inline: false);
            ResetWriter();
        }
    }

    private sealed class Group(SqliteTransaction transaction)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        public SqliteTransaction Transaction { get; } = transaction;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Members { get; set; }
        public List<Action<DbConnection, DbTransaction>> Steps { get; } = [];
        public Exception? Poisoned { get; set; }
        public TimeSpan Age => Stopwatch.GetElapsedTime(_started);
    }

    private sealed class Releaser(TurnLock turn) : IDisposable
    {
        private int _released;
        public void Dispose() { if (Interlocked.Exchange(ref _released, 1) == 0) turn.Release(inline: false); }
    }
}
