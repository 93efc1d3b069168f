using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Ledger;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;
using Payments.Domain.Reconciliation;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// The one model of the service. Each store derives its own context (SqlitePaymentsDbContext, …) so that each
/// has its own migrations; handlers use this base type directly (no repository layer, see ADR-0003).
/// </summary>
public abstract class PaymentsDbContext(DbContextOptions options) : IdentityDbContext<StaffUser>(options),
    Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    /// <summary>
    /// The store this context type is built for: each store has its own context type (StoreSetup). EF's
    /// <c>Database.IsSqlite()</c> asks the provider for its name, which reads its assembly's name on every call: ~2 % of a
    /// create's CPU when it was asked for each row written (docs/BENCHMARKS.md, item 35).
    /// </summary>
    public abstract StoreKind Store { get; }

    /// <summary>The Data Protection key ring (staff cookies, antiforgery), shared by every node on the store.</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys =>
        Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    public DbSet<Agency> Agencies => Set<Agency>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<FeeItem> Fees => Set<FeeItem>();
    public DbSet<PaymentOrder> Orders => Set<PaymentOrder>();
    public DbSet<PaymentAttempt> Attempts => Set<PaymentAttempt>();
    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<ReconciliationItem> ReconciliationItems => Set<ReconciliationItem>();
    public DbSet<ReceiptSeries> ReceiptSeries => Set<ReceiptSeries>();
    public DbSet<ReceiptCounter> ReceiptCounters => Set<ReceiptCounter>();
    public DbSet<Receipt> Receipts => Set<Receipt>();
    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();
    public DbSet<Posting> Postings => Set<Posting>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<StatementImport> StatementImports => Set<StatementImport>();
    public DbSet<StatementLineRecord> StatementLines => Set<StatementLineRecord>();
    public DbSet<Domain.Reconciliation.DailyClose> DailyCloses => Set<Domain.Reconciliation.DailyClose>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<Lease> Leases => Set<Lease>();

    private readonly List<Action> _afterCommit = [];
    private readonly List<Func<CancellationToken, Task>> _beforeSave = [];

    /// <summary>
    /// Runs <paramref name="step"/> just before the command's changes are saved, inside its transaction and — on SQLite —
    /// in the writer's turn, where it sees every write before it: for what must not be decided on a snapshot read
    /// earlier, such as taking a receipt number. An optimistic command's handler runs outside the writers' queue and
    /// leaves such work here (<see cref="Pipeline.IOptimisticCommand"/>). A step that throws fails the command.
    /// </summary>
    public void BeforeSave(Func<CancellationToken, Task> step) => _beforeSave.Add(step);

    private async Task RunBeforeSaveAsync(CancellationToken ct)
    {
        foreach (var step in _beforeSave) await step(ct);
        _beforeSave.Clear();
    }

    /// <summary>Whether <paramref name="connection"/> is one this context keeps open and does not own (SQLite, ADR-0028).</summary>
    internal virtual bool Keeps(System.Data.Common.DbConnection connection) => false;

    private readonly List<object> _inserts = [];
    private readonly List<Action<System.Data.Common.DbConnection, System.Data.Common.DbTransaction>> _atCommit = [];

    /// <summary>
    /// True while the command holds its turn in a commit group that others may join (SQLite group commit, ADR-0021): work
    /// given to <see cref="AtCommit"/> then runs when the group commits instead of in this command's turn.
    /// </summary>
    internal bool CommitsInGroup { get; set; }

    /// <summary>
    /// Runs <paramref name="step"/> on the writer's connection, in the group's transaction, just before its COMMIT — by
    /// whichever command commits the group. Only while <see cref="CommitsInGroup"/>. A step that throws fails the whole
    /// group: nothing of it is written and every command in it fails (the signature of a receipt, ADR-0027).
    /// </summary>
    internal void AtCommit(Action<System.Data.Common.DbConnection, System.Data.Common.DbTransaction> step)
    {
        if (!CommitsInGroup) throw new InvalidOperationException("Work at the group's commit needs a turn in a commit group.");
        _atCommit.Add(step);
    }

    /// <summary>The steps for the group's commit, once the command's own writes are in (they leave the context).</summary>
    internal List<Action<System.Data.Common.DbConnection, System.Data.Common.DbTransaction>> TakeAtCommit()
    {
        var steps = _atCommit.ToList();
        _atCommit.Clear();
        return steps;
    }

    /// <summary>
    /// Adds a new aggregate (the entity and the new entities in its collections) to be written by the command's save with
    /// plain prepared INSERTs instead of the change tracker (<see cref="RowInserter"/>, ADR-0025): for the hot write paths.
    /// The entity is not tracked, so nothing later in the command sees it through a query; it is written before the
    /// tracked changes, which may therefore refer to it — and which therefore cannot free a unique value it takes (a
    /// replacement receipt while the old one is marked replaced: that path saves with EF).
    /// </summary>
    public void Insert(object aggregate)
    {
        // PostgreSQL keeps them too: a save of only new rows goes in one batch (SaveNewRowsAsync), any other joins EF's save.
        if (RowInserter.Supports(this) || Store == StoreKind.Postgres) _inserts.Add(aggregate);
        else Add(aggregate);
    }

    /// <summary>
    /// Which run of its command the transaction pipeline is in: 1 on its first, 2 once it has lost a write race and runs
    /// again on fresh state (<see cref="Pipeline.TransactionBehavior{TMessage, TResponse}"/>); 0 outside a command.
    /// </summary>
    internal int CommandRun { get; set; }

    /// <summary>The rows the command's inserts wrote so far in its turn, by key, for <see cref="RowInserter.Undo"/>.</summary>
    internal List<(RowInserter.Plan Plan, object?[] Key)> InsertedRows { get; } = [];

    /// <summary>
    /// Whether the command's save is only plain inserts that <see cref="RowInserter.Undo"/> can take back: no
    /// <see cref="BeforeSave"/> step, nothing tracked. In a commit group such a save needs no savepoint (ADR-0032).
    /// </summary>
    internal bool SavesOnlyInserts =>
        _beforeSave.Count == 0 && _inserts.Count > 0 && RowInserter.CanUndo(Model, _inserts) && !ChangeTracker.Entries().Any();

    /// <summary>The transaction pipeline's save: the <see cref="BeforeSave"/> steps, the inserted aggregates, then the tracked changes.</summary>
    internal async Task SaveAllAsync(CancellationToken ct)
    {
        // PostgreSQL: the steps before the save may lock a receipt series' counter until the commit; what the tracked
        // changes make stale is announced before them, so that round trip is not spent while the lock is held (ADR-0036).
        if (_beforeSave.Count > 0 && Store == StoreKind.Postgres && Database.CurrentTransaction?.GetDbTransaction() is { } transaction
            && Invalidator is { } invalidator)
            await invalidator.AnnounceAsync(this, ReadCache.StaleKeys(this), transaction, ct);
        await RunBeforeSaveAsync(ct);
        if (_inserts.Count > 0 && RowInserter.Supports(this))
            await InsertAllAsync(Database.GetDbConnection(), RowInserter.TransactionOf(this), noteRows: false, ct);
        else if (_inserts.Count > 0)
        {
            // The server stores: the new rows join the tracked changes in EF's save, which sends them all in one batch.
            foreach (var aggregate in _inserts) Add(aggregate);
            _inserts.Clear();
        }
        if (!await RowUpdater.TryUpdateAsync(this, ct)) await SaveChangesAsync(ct);
    }

    /// <summary>Whether the command has nothing to write: no step before the save, no new rows, no tracked change.</summary>
    internal bool SavesNothing => _beforeSave.Count == 0 && _inserts.Count == 0 && !ChangeTracker.HasChanges();

    /// <summary>PostgreSQL: whether the save is only new rows that <see cref="SaveNewRowsAsync"/> writes in one batch.</summary>
    internal bool SavesOnlyNewRows =>
        Store == StoreKind.Postgres && _beforeSave.Count == 0 && _inserts.Count > 0 && !ChangeTracker.Entries().Any()
        && RowInserter.CanBatch(Model, _inserts);

    /// <summary>
    /// PostgreSQL, outside any transaction: the new rows (and the announcement of what they make stale to the other nodes'
    /// caches) in one batch, which PostgreSQL commits as one implicit transaction — one round trip (ADR-0037).
    /// </summary>
    internal async Task SaveNewRowsAsync(CancellationToken ct)
    {
        if (!SavesOnlyNewRows || Database.CurrentTransaction is not null)
            throw new InvalidOperationException("Only a save of new rows alone, outside a transaction, goes in one batch.");
        MarkStale(_inserts.Select(e => ReadCache.KeyOfNew(Model, e)).OfType<string>());
        foreach (var order in _inserts.OfType<Domain.Orders.PaymentOrder>()) CreatedHere.Add(ReadCache.Order(order.Id));
        await Database.OpenConnectionAsync(ct);
        try
        {
            await RowInserter.InsertBatchAsync(Model, _inserts, (Npgsql.NpgsqlConnection)Database.GetDbConnection(), null,
                Invalidator?.AnnouncementOf(this), ct);
        }
        finally { await Database.CloseConnectionAsync(); }
        _inserts.Clear();
    }

    /// <summary>
    /// The save of a command that <see cref="SavesOnlyInserts"/>, on <paramref name="connection"/> in
    /// <paramref name="transaction"/> without handing them to EF: none of EF's own SQL runs (ADR-0032).
    /// </summary>
    internal Task SaveInsertsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, CancellationToken ct)
    {
        // The caller checked SavesOnlyInserts just before its turn. In full here, in the writer's turn, it cost ~0.4 % of a
        // create's CPU; its cheap parts are checked again.
        if (_beforeSave.Count > 0 || _inserts.Count == 0)
            throw new InvalidOperationException("This save is not only plain inserts: it runs through SaveAllAsync.");
        return InsertAllAsync(connection, transaction, noteRows: true, ct);
    }

    /// <param name="noteRows">Whether the rows' keys are noted for <see cref="RowInserter.Undo"/> (only a save without a savepoint needs them).</param>
    private async Task InsertAllAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, bool noteRows,
        CancellationToken ct)
    {
        InsertedRows.Clear();
        MarkStale(_inserts.Select(e => ReadCache.KeyOfNew(Model, e)).OfType<string>());
        foreach (var aggregate in _inserts) await RowInserter.InsertAsync(this, aggregate, connection, transaction, noteRows ? InsertedRows : null, ct);
        _inserts.Clear();
    }

    private ReadCacheInvalidator? _invalidator;

    private ReadCacheInvalidator? Invalidator => _invalidator ??=
        this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<ReadCacheInvalidator>().FirstOrDefault();

    /// <summary>Cached reads made stale by writes that bypass EF's save (which the <see cref="ReadCacheInvalidator"/> sees itself).</summary>
    internal void MarkStale(IEnumerable<string> keys) => Invalidator?.MarkStale(this, keys);

    /// <summary>Runs <paramref name="action"/> once the current command's transaction commits (metrics, never for a rollback).</summary>
    public void AfterCommit(Action action) => _afterCommit.Add(action);

    /// <summary>
    /// Holds the order's row until the current transaction ends (FOR UPDATE / UPDLOCK), so that on the server stores
    /// notifications about one order are applied one after another and each sees the one before it (a duplicate then
    /// answers "already confirmed" at once instead of losing races until its retries run out). SQLite has one writer.
    /// </summary>
    public async Task LockOrderAsync(PaymentOrderId id, CancellationToken ct)
    {
        if (Store == StoreKind.Postgres)
            await Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM \"PaymentOrders\" WHERE \"Id\" = {id.Value} FOR UPDATE", ct);
        else if (Store == StoreKind.SqlServer)
            await Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM [PaymentOrders] WITH (UPDLOCK, ROWLOCK) WHERE [Id] = {id.Value}", ct);
    }

    /// <summary>Cached reads this context's saves made stale, invalidated again once its transaction ends (<see cref="ReadCache"/>).</summary>
    internal HashSet<string> StaleAfterCommit { get; } = [];
    internal ReadCache? StaleIn { get; set; }

    /// <summary>Orders this context's transaction created: another node cannot hold them, so they are not announced (ADR-0036).</summary>
    internal HashSet<string> CreatedHere { get; } = [];

    /// <summary>Keys already announced to the other nodes in this transaction (ADR-0036).</summary>
    internal HashSet<string> Announced { get; } = [];

    internal void Committed()
    {
        InsertedRows.Clear();
        InvalidateStale();
        foreach (var action in _afterCommit) action();
        _afterCommit.Clear();
        _beforeSave.Clear();
        _inserts.Clear();
        _atCommit.Clear();
    }

    internal void RolledBack()
    {
        InsertedRows.Clear();
        InvalidateStale();
        _afterCommit.Clear();
        _beforeSave.Clear();
        _inserts.Clear();
        _atCommit.Clear();
    }

    private void InvalidateStale()
    {
        CreatedHere.Clear();
        Announced.Clear();
        if (StaleAfterCommit.Count == 0) return;
        foreach (var key in StaleAfterCommit) StaleIn!.Invalidate(key);
        StaleAfterCommit.Clear();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        b.Properties<PaymentOrderId>().HaveConversion<PaymentOrderIdConverter>();
        b.Properties<PaymentAttemptId>().HaveConversion<PaymentAttemptIdConverter>();
        b.Properties<ReceiptId>().HaveConversion<ReceiptIdConverter>();
        b.Properties<Currency>().HaveConversion<CurrencyConverter>().HaveMaxLength(3);
        b.Properties<string>().HaveMaxLength(500);
        b.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder m)
    {
        base.OnModelCreating(m); // the staff sign-in tables (ASP.NET Core Identity) live in the same store
        m.ApplyConfigurationsFromAssembly(typeof(PaymentsDbContext).Assembly);
    }
}
