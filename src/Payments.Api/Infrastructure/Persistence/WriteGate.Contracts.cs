using System.Data.Common;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// SQLite allows one writer: commands queue here in-process instead of fighting for the file lock
/// (DESIGN.md measured 351 req/s with contention against 1,539 serialised). Stores with row locks get a no-op gate.
/// </summary>
public interface IWriteGate
{
    /// <summary>True when writers are serialised in this process (SQLite); false on stores with row locks.</summary>
    bool Serialises { get; }

    /// <summary>Exclusive entry for a writer with its own connection and transaction (any open group is committed first).</summary>
    ValueTask<IDisposable> EnterAsync(CancellationToken ct);
}

/// <summary>
/// Group commit on SQLite (ADR-0021): commands take turns on one writer connection inside one open transaction, each
/// behind its own savepoint (a save of plain inserts only has none: its rows are deleted again if need be, ADR-0032);
/// the transaction is committed — one fsync under synchronous=FULL — when no other command is waiting for its turn,
/// when the group is full, or when it is old. Nobody is answered before the commit that holds
/// their writes, so durability is the same as one commit per request; only the fsyncs are shared.
/// </summary>
public interface IGroupCommit
{
    bool Enabled { get; }

    /// <summary>Waits for this command's turn (not cancellable: a turn once queued is always taken and handed on).</summary>
    ValueTask<GroupTurn> TakeTurnAsync();

    /// <summary>Hands the turn on, committing the group first when nobody else is queued (or it is full or old).</summary>
    void EndTurn(GroupTurn turn);

    /// <summary>True when a group may hold more than one command (false: each command commits alone).</summary>
    bool Groups { get; }

    /// <summary>True while another command waits for the writer's turn.</summary>
    bool Waiting { get; }

    /// <summary>
    /// By the holder of the turn whose writes could not be undone (its savepoint would not roll back): the group must not
    /// commit them, so it is rolled back whole at its end and every command in it fails.
    /// </summary>
    void Poison(Exception cause);

    /// <summary>
    /// By the holder of the turn when groups hold one command each (<see cref="Groups"/> false): rolls its transaction back
    /// whole instead of to a savepoint; the turn's <see cref="GroupTurn.Committed"/> completes, with nothing written.
    /// </summary>
    void Discard(GroupTurn turn);

    /// <summary>
    /// By the holder of the turn, for its written command: steps run on the writer's connection in the group's transaction
    /// just before COMMIT. One that throws fails the group's commit (nothing is written; every member fails).
    /// </summary>
    void AtCommit(IEnumerable<Action<DbConnection, DbTransaction>> steps);
}

/// <summary>One command's turn in a commit group: the shared connection and transaction, and the group's commit.</summary>
public sealed class GroupTurn(DbConnection connection, DbTransaction transaction, Task committed)
{
    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;

    /// <summary>Completes when the group's transaction is committed; faults when the commit failed (nothing was written).</summary>
    public Task Committed { get; } = committed;
}

/// <summary>Stores with row locks take concurrent writers; races are settled by constraints and concurrency tokens.</summary>
internal sealed class NoWriteGate : IWriteGate, IGroupCommit
{
    public bool Serialises => false;
    public bool Enabled => false;
    public bool Groups => false;
    public bool Waiting => false;

    public void AtCommit(IEnumerable<Action<DbConnection, DbTransaction>> steps) => throw new NotSupportedException("Group commit is for SQLite.");
    public void Discard(GroupTurn turn) => throw new NotSupportedException("Group commit is for SQLite.");
    public void Poison(Exception cause) => throw new NotSupportedException("Group commit is for SQLite.");

    public ValueTask<IDisposable> EnterAsync(CancellationToken ct) => ValueTask.FromResult<IDisposable>(Nothing.Instance);
    public ValueTask<GroupTurn> TakeTurnAsync() => throw new NotSupportedException("Group commit is for SQLite.");
    public void EndTurn(GroupTurn turn) => throw new NotSupportedException("Group commit is for SQLite.");

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();
        public void Dispose() { }
    }
}
