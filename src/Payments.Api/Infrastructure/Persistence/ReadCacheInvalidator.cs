using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>Invalidates what a save touches: before it is written, and again when the transaction ends.</summary>
internal sealed class ReadCacheInvalidator(ReadCache cache) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Before(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken ct = default)
    {
        Before(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        AfterSave(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        AfterSave(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => AfterSave(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        AfterSave(eventData.Context);
        return Task.CompletedTask;
    }

    private void Before(DbContext? context)
    {
        if (context is not PaymentsDbContext db) return;
        // A save that begins its own transaction: nothing was announced in it yet, whatever an earlier failed command left.
        if (db.Database.CurrentTransaction is null)
        {
            db.Announced.Clear();
            db.CreatedHere.Clear();
        }
        MarkStale(db, ReadCache.StaleKeys(db, cache.Shared ? db.CreatedHere : null));
        if (!cache.Shared) return;
        // The announcement must commit with the writes (ADR-0036): a save outside a transaction that has one to make gets
        // a transaction of its own (EF sends a save of one statement without).
        if (db.Database.CurrentTransaction is null)
            db.Database.AutoTransactionBehavior = AnnouncementOf(db) is null ? AutoTransactionBehavior.WhenNeeded : AutoTransactionBehavior.Always;
    }

    /// <summary>Invalidates <paramref name="keys"/> now and again when <paramref name="db"/>'s transaction ends.</summary>
    internal void MarkStale(PaymentsDbContext db, IEnumerable<string> keys)
    {
        if (!cache.Enabled && !cache.Shared) return;
        db.StaleIn = cache;
        foreach (var key in keys)
        {
            cache.Invalidate(key);
            db.StaleAfterCommit.Add(key);
        }
    }

    /// <summary>Without a transaction the save has committed; inside one, the transaction's end flushes (below, or Committed()).</summary>
    private void AfterSave(DbContext? context)
    {
        if (context is PaymentsDbContext db && db.Database.CurrentTransaction is null) Flush(db);
    }

    internal void Flush(PaymentsDbContext db)
    {
        foreach (var key in db.StaleAfterCommit) cache.Invalidate(key);
        db.StaleAfterCommit.Clear();
        db.CreatedHere.Clear();
        db.Announced.Clear();
    }

    InterceptionResult IDbTransactionInterceptor.TransactionCommitting(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result)
    {
        if (Announcement(eventData.Context, transaction) is { } command)
            using (command) command.ExecuteNonQuery();
        return result;
    }

    async ValueTask<InterceptionResult> IDbTransactionInterceptor.TransactionCommittingAsync(DbTransaction transaction,
        TransactionEventData eventData, InterceptionResult result, CancellationToken ct)
    {
        if (Announcement(eventData.Context, transaction) is { } command)
            await using (command) await command.ExecuteNonQueryAsync(ct);
        return result;
    }

    /// <summary>
    /// On a shared store, what the transaction made stale is announced to the other nodes inside it, so they hear it when
    /// it commits and never for a rollback (<see cref="CacheChannel"/>). Orders created in it are left out: no node
    /// can hold what did not exist.
    /// </summary>
    private DbCommand? Announcement(DbContext? context, DbTransaction transaction) =>
        context is PaymentsDbContext db && AnnouncementOf(db) is { } announcement ? Command(transaction, announcement) : null;

    /// <summary>
    /// Marks <paramref name="keys"/> stale and announces them now, in <paramref name="transaction"/>: delivered at its
    /// commit all the same, and left out of the announcement the commit makes.
    /// </summary>
    internal async Task AnnounceAsync(PaymentsDbContext db, IEnumerable<string> keys, DbTransaction transaction, CancellationToken ct)
    {
        if (!cache.Shared) return;
        MarkStale(db, keys);
        if (AnnouncementOf(db) is not { } announcement) return;
        await using (var command = Command(transaction, announcement)) await command.ExecuteNonQueryAsync(ct);
        db.Announced.UnionWith(db.StaleAfterCommit);
    }

    private static DbCommand Command(DbTransaction transaction, string announcement)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = CacheChannel.NotifySql;
        var payload = command.CreateParameter();
        payload.ParameterName = "payload";
        payload.Value = announcement;
        command.Parameters.Add(payload);
        return command;
    }

    /// <summary>The payload announcing what <paramref name="db"/>'s writes made stale to the other nodes, or null for nothing.</summary>
    internal string? AnnouncementOf(PaymentsDbContext db)
    {
        if (!cache.Shared || db.StaleAfterCommit.Count == 0) return null;
        var keys = db.StaleAfterCommit.Where(k => !db.CreatedHere.Contains(k) && !db.Announced.Contains(k)).ToList();
        return keys.Count == 0 ? null : CacheChannel.Payload(cache.Node, keys);
    }

    void IDbTransactionInterceptor.TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => End(eventData.Context);
    Task IDbTransactionInterceptor.TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct)
    {
        End(eventData.Context);
        return Task.CompletedTask;
    }
    void IDbTransactionInterceptor.TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => End(eventData.Context);
    Task IDbTransactionInterceptor.TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct)
    {
        End(eventData.Context);
        return Task.CompletedTask;
    }

    private void End(DbContext? context)
    {
        if (context is PaymentsDbContext db) Flush(db);
    }
}
