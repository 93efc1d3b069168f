using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;
using Payments.Api.Infrastructure.Pipeline;
using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Orders;

namespace Payments.Api.Tests;

/// <summary>
/// The hot write paths insert new aggregates with plain prepared statements built from the EF model (ADR-0025). What
/// they write must be exactly what EF would have written: read back through EF, every mapped value is the same.
/// </summary>
public sealed record OptimisticProbe(string Key) : ICommand<Result<int>>, IOptimisticCommand;

public sealed record UnlockedProbe(string Key) : ICommand<Result<int>>, IUnlockedCommand;

public class RowInserterTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;

    public RowInserterTests(ApiFactory api) => _api = api;

    private (TransactionBehavior<ProbeCommand, Result<int>> Behavior, PaymentsDbContext Db, IServiceScope Scope) Build(ApiFactory? api = null) =>
        Build<ProbeCommand>(api);

    private (TransactionBehavior<T, Result<int>> Behavior, PaymentsDbContext Db, IServiceScope Scope) Build<T>(ApiFactory? api = null) where T : ICommand<Result<int>>
    {
        var scope = (api ?? _api).Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        return (new TransactionBehavior<T, Result<int>>(db, scope.ServiceProvider.GetRequiredService<IWriteGate>(),
            scope.ServiceProvider.GetRequiredService<IGroupCommit>(), NullLogger<TransactionBehavior<T, Result<int>>>.Instance), db, scope);
    }

    private PaymentOrder NewOrder(string dossier, ApiFactory? api = null)
    {
        var fees = (api ?? _api).Db(db => db.Fees.AsNoTracking().Where(f => f.AgencyCode == "000.00.12.H29").OrderBy(f => f.Code).Take(2).ToList());
        Assert.Equal(2, fees.Count);
        var now = new DateTimeOffset(2026, 11, 24, 3, 4, 5, TimeSpan.Zero).AddTicks(1234560);
        var lines = fees.Select((f, i) => f.Quote(i + 2, Channel.Online, DateOnly.FromDateTime(now.ToVietnam().DateTime)).Value).ToList();
        return PaymentOrder.Create((api ?? _api).Db(db => db.ApiClients.First().Id), "000.00.12.H29", dossier, "1.000105",
            new Payer("Nguyễn Thị Ánh", "001088012345", "+84912345678", "anh@example.vn", "12 Tràng Tiền, Hoàn Kiếm"),
            Channel.Online, lines, Tokens.NewSortableToken(now), "https://portal.example/return?x=1", now, TimeSpan.FromMinutes(90)).Value;
    }

    /// <summary>A store-generated <c>int</c> key (the receipt series') is read back and set, as for a <c>long</c> one.</summary>
    [Fact]
    public async Task A_store_generated_int_key_is_set_on_the_entity_it_was_inserted_for()
    {
        using var scope = _api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var first = new Domain.Receipts.ReceiptSeries("000.00.77.H77", templateSymbol: "01BLP0-001", seriesLetters: "QA");
        var second = new Domain.Receipts.ReceiptSeries("000.00.78.H78", templateSymbol: "01BLP0-001", seriesLetters: "QB");
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await RowInserter.InsertAsync(db, first, default);
            await RowInserter.InsertAsync(db, second, default);
            Assert.True(first.Id > 0);
            Assert.Equal(first.Id + 1, second.Id);
            Assert.Equal("QB", db.ReceiptSeries.AsNoTracking().Single(r => r.Id == second.Id).SeriesLetters);
            await tx.RollbackAsync();
        }
    }

    [Fact]
    public async Task An_order_inserted_by_plain_statements_reads_back_through_EF_value_for_value()
    {
        var order = NewOrder("ROW-INSERT-1");
        var (behavior, db, scope) = Build();
        using var _ = scope;
        // A second aggregate whose children take store-generated keys (postings): RETURNING sets them on the entities.
        var ledger = Payments.Domain.Ledger.Accounts.ForRefundReview(order, order.Amount, "sandbox", order.CreatedAt);
        var result = await behavior.Handle(new ProbeCommand("row-insert"), (cmd, ct) =>
        {
            db.Insert(order);
            db.Insert(ledger);
            return ValueTask.FromResult(Result<int>.Ok(1));
        }, default);
        Assert.True(result.IsSuccess);

        var back = _api.Db(d => d.Orders.AsNoTracking().Include(o => o.Lines).Single(o => o.Id == order.Id));
        var model = _api.Db(d => d.Model);
        AssertSameValues(model, order, back);
        Assert.Equal(2, back.Lines.Count);
        // Each line is keyed by its order (the shadow key, taken from the parent) and its number.
        foreach (var line in order.Lines)
            AssertSameValues(model, line, back.Lines.Single(l => l.LineNo == line.LineNo));

        var ledgerBack = _api.Db(d => d.LedgerTransactions.AsNoTracking().Include(t => t.Postings).Single(t => t.Id == ledger.Id));
        AssertSameValues(model, ledger, ledgerBack);
        Assert.All(ledger.Postings, p => Assert.NotEqual(0, p.Id));
        foreach (var posting in ledger.Postings)
            AssertSameValues(model, posting, ledgerBack.Postings.Single(p => p.Id == posting.Id));
    }

    /// <summary>
    /// PostgreSQL: the new rows of a command that needs no transaction go in one batch without one (ADR-0037), which
    /// PostgreSQL commits as one implicit transaction: all of it, or — when any row is refused — none of it.
    /// </summary>
    [Fact]
    public async Task On_PostgreSQL_new_rows_alone_go_in_one_batch_that_commits_whole_or_not_at_all()
    {
        if (!ApiFactory.OnPostgres) return; // SQLite writes them in the writer's turn (above)
        var order = NewOrder("ROW-BATCH-1");
        var ledger = Payments.Domain.Ledger.Accounts.ForRefundReview(order, order.Amount, "sandbox", order.CreatedAt);
        var (behavior, db, scope) = Build<UnlockedProbe>();
        using (scope)
        {
            var result = await behavior.Handle(new UnlockedProbe("row-batch"), (cmd, ct) =>
            {
                Assert.Null(db.Database.CurrentTransaction); // the handler runs before any transaction
                db.Insert(order);
                db.Insert(ledger); // its postings take store-generated keys, read back from the batch
                Assert.True(db.SavesOnlyNewRows);
                return ValueTask.FromResult(Result<int>.Ok(1));
            }, default);
            Assert.True(result.IsSuccess);
        }
        var model = _api.Db(d => d.Model);
        var back = _api.Db(d => d.Orders.AsNoTracking().Include(o => o.Lines).Single(o => o.Id == order.Id));
        AssertSameValues(model, order, back);
        foreach (var line in order.Lines) AssertSameValues(model, line, back.Lines.Single(l => l.LineNo == line.LineNo));
        var ledgerBack = _api.Db(d => d.LedgerTransactions.AsNoTracking().Include(t => t.Postings).Single(t => t.Id == ledger.Id));
        Assert.All(ledger.Postings, p => Assert.NotEqual(0, p.Id));
        foreach (var posting in ledger.Postings) AssertSameValues(model, posting, ledgerBack.Postings.Single(p => p.Id == posting.Id));

        // The last row of the batch is refused (an agency code already taken): the order before it is not written either,
        // and the refusal is read as a lost race, so the command runs again until it gives up.
        var second = NewOrder("ROW-BATCH-2");
        var runs = 0;
        var (again, db2, scope2) = Build<UnlockedProbe>();
        using (scope2)
            await Assert.ThrowsAsync<DbUpdateException>(() => again.Handle(new UnlockedProbe("row-batch-2"), (cmd, ct) =>
            {
                runs++;
                db2.Insert(second);
                db2.Insert(new Agency { Code = "000.00.12.H29", Name = "Taken", TaxCode = "0100000001" });
                return ValueTask.FromResult(Result<int>.Ok(1));
            }, default).AsTask());
        Assert.Equal(4, runs);
        Assert.False(_api.Db(d => d.Orders.Any(o => o.Id == second.Id)));
        Assert.Equal(0, _api.Db(d => d.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM \"OrderLines\" WHERE \"OrderId\" = {second.Id.Value}").Single()));

        // New rows of an order that already exists make its cached view stale: the batch ends with the announcement to the
        // other nodes (ADR-0036), delivered when the batch commits.
        await using var listener = new Npgsql.NpgsqlConnection(_api.Services.GetRequiredService<IConfiguration>()
            .GetConnectionString("Payments"));
        await listener.OpenAsync();
        var heard = new List<string>();
        listener.Notification += (_, e) => heard.Add(e.Payload);
        await using (var listen = new Npgsql.NpgsqlCommand($"LISTEN {CacheChannel.Name}", listener)) await listen.ExecuteNonQueryAsync();
        var review = Payments.Domain.Ledger.Accounts.ForRefundReview(order, order.Amount, "sandbox", order.CreatedAt);
        var (third, db3, scope3) = Build<UnlockedProbe>();
        using (scope3)
            Assert.True((await third.Handle(new UnlockedProbe("row-batch-3"), (cmd, ct) =>
            {
                db3.Insert(review);
                return ValueTask.FromResult(Result<int>.Ok(1));
            }, default)).IsSuccess);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (heard.Count == 0 && DateTime.UtcNow < deadline) await listener.WaitAsync(TimeSpan.FromMilliseconds(100));
        Assert.Equal(new[] { _api.Services.GetRequiredService<ReadCache>().Node, ReadCache.Order(order.Id) }, Assert.Single(heard).Split(' '));
        Assert.True(_api.Db(d => d.LedgerTransactions.Any(t => t.Id == review.Id)));
    }

    [Fact]
    public async Task On_SQLite_rows_are_stepped_on_statements_kept_per_native_connection_and_finalized_when_it_closes()
    {
        if (ApiFactory.OnPostgres) return; // SQLite's own API (ADR-0030); server stores save through EF
        using var api = new ApiFactory(); // its connection is closed below
        var order = NewOrder("ROW-RAW-1", api);
        using var scope = api.Services.CreateScope();
        var (db, connection) = await OpenAsync(scope);
        var before = SqliteNative.KeptOn(connection); // start-up's seeding inserts may have run on this kept connection
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await RowInserter.InsertAsync(db, order, default);
            await RowInserter.InsertAsync(db, NewOrder("ROW-RAW-2", api), default);
            Assert.Equal(before + 2, SqliteNative.KeptOn(connection)); // the orders' INSERT and their lines', each prepared once
            Assert.Equal(2, await CountInTransactionAsync(db, "ROW-RAW-%"));
            // The kept INSERT holds nothing of the last order (a payer's details): stepped as it is bound now, its first
            // NOT NULL column fails (SQLITE_CONSTRAINT_NOTNULL), where the old values would have met the primary key.
            Assert.Equal(1299, SqliteNative.StepAsBound(connection, RowInserter.SqlFor(db.Model, typeof(PaymentOrder))));
            // An empty text stays empty: SQLite's API would bind NULL for an empty buffer.
            var clientId = db.ApiClients.AsNoTracking().First().Id;
            await RowInserter.InsertAsync(db, new IdempotencyRecord { ClientId = clientId, Key = "row-raw-empty", RequestHash = "", StatusCode = 201, ResponseJson = "" }, default);
            var empty = db.IdempotencyRecords.AsNoTracking().Single(r => r.Key == "row-raw-empty");
            Assert.Equal(("", ""), (empty.RequestHash, empty.ResponseJson));
            await tx.RollbackAsync();
        }
        Assert.Equal(0, await CountInTransactionAsync(db, "ROW-RAW-%")); // they were in the transaction, not beside it
        connection.Close();
        Assert.Equal(0, SqliteNative.KeptOn(connection)); // finalized with the connection, not left to the GC
    }

    [Fact]
    public async Task A_connection_closed_and_opened_again_prepares_afresh_and_is_watched_by_one_handler()
    {
        if (ApiFactory.OnPostgres) return; // SQLite's own API (ADR-0030)
        using var api = new ApiFactory();
        using var scope = api.Services.CreateScope();
        var (db, connection) = await OpenAsync(scope);
        // The context's kept connection may hold statements from before (start-up's seeding inserts): they are counted.
        var before = SqliteNative.KeptOn(connection);
        for (var cycle = 0; cycle < 3; cycle++)
        {
            if (connection.State != System.Data.ConnectionState.Open) connection.Open();
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                await RowInserter.InsertAsync(db, NewOrder($"ROW-REOPEN-{cycle}", api), default);
                Assert.Equal((cycle == 0 ? before : 0) + 2, SqliteNative.KeptOn(connection));
                await tx.RollbackAsync();
            }
            connection.Close();
            Assert.Equal(0, SqliteNative.KeptOn(connection));
        }
        // However often it is opened again, one handler finalizes its statements: none piles up on the connection.
        var handlers = (Delegate?)typeof(System.Data.Common.DbConnection)
            .GetField("StateChange", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(connection);
        Assert.Single(handlers!.GetInvocationList(), h => h.Method.DeclaringType?.FullName?.Contains("SqliteNative") == true);
    }

    [Fact]
    public async Task Outside_a_transaction_a_row_is_refused_instead_of_committing_on_its_own()
    {
        if (ApiFactory.OnPostgres) return; // SQLite's own API (ADR-0030)
        using var scope = _api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        await db.Database.OpenConnectionAsync();
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            // The transaction is gone underneath EF (as when SQLite rolls back by itself after some errors).
            await using (var rollback = db.Database.GetDbConnection().CreateCommand())
            {
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync();
            }
            await Assert.ThrowsAsync<InvalidOperationException>(() => RowInserter.InsertAsync(db, NewOrder("ROW-NO-TX"), default));
        }
        Assert.Equal(0, CountOrders("ROW-NO-TX"));
    }

    /// <summary>The scope's context with its SQLite connection opened.</summary>
    private static async Task<(PaymentsDbContext Db, SqliteConnection Connection)> OpenAsync(IServiceScope scope)
    {
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        await db.Database.OpenConnectionAsync();
        return (db, (SqliteConnection)db.Database.GetDbConnection());
    }

    private int CountOrders(string dossier) => _api.Db(d => d.Orders.Count(o => o.DossierCode == dossier));

    private static async Task<long> CountInTransactionAsync(PaymentsDbContext db, string dossiers)
    {
        await using var count = db.Database.GetDbConnection().CreateCommand();
        count.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        count.CommandText = "SELECT COUNT(*) FROM \"PaymentOrders\" WHERE \"DossierCode\" LIKE @d";
        count.Parameters.Add(new SqliteParameter("@d", dossiers));
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // each command alone: its transaction is rolled back whole, not to a savepoint
    public async Task A_plain_insert_refused_by_a_unique_index_runs_the_command_again_and_leaves_no_half_write(bool groupCommit)
    {
        using var own = groupCommit ? null : new ApiFactory().With("Payments:Sqlite:GroupCommit", "false");
        var api = own ?? _api;
        var clientId = api.Db(db => db.ApiClients.First().Id);
        api.Db(db =>
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord { ClientId = clientId, Key = "row-race", RequestHash = "h", StatusCode = 201, ResponseJson = "{}" });
            return db.SaveChanges();
        });
        var (behavior, db, scope) = Build(api);
        using var _ = scope;
        var order = NewOrder("ROW-INSERT-RACE", api);
        var runs = 0;
        var result = await behavior.Handle(new ProbeCommand("row-race"), (cmd, ct) =>
        {
            runs++;
            // First run: the order, then a record the winner already committed; the order must not survive the refusal.
            if (runs == 1)
            {
                db.Insert(order);
                db.Insert(new IdempotencyRecord { ClientId = clientId, Key = "row-race", RequestHash = "h", StatusCode = 201, ResponseJson = "{}" });
            }
            return ValueTask.FromResult(Result<int>.Ok(runs));
        }, default);
        Assert.Equal(2, runs);
        Assert.True(result.IsSuccess);
        Assert.False(api.Db(d => d.Orders.Any(o => o.Id == order.Id)));
        Assert.Equal(0, api.Db(d => d.Set<OrderLine>().Count(l => EF.Property<PaymentOrderId>(l, "OrderId") == order.Id)));
    }

    /// <summary>
    /// An optimistic command whose save is only plain inserts sets no savepoint (ADR-0032). When one of its inserts is
    /// refused, the rows it wrote before are taken back — in a commit group deleted again, the order's lines, then the
    /// order; alone, with its whole transaction — and the command runs again on fresh state.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_insert_only_save_sets_no_savepoint_and_a_refusal_takes_its_rows_back(bool groupCommit)
    {
        if (ApiFactory.OnPostgres) return; // the single writer is SQLite's
        // A host of its own: the writer's savepoints are counted from its start.
        using var api = groupCommit ? new ApiFactory() : new ApiFactory().With("Payments:Sqlite:GroupCommit", "false");
        var clientId = api.Db(db => db.ApiClients.First().Id);
        IdempotencyRecord Record(string key) => new() { ClientId = clientId, Key = key, RequestHash = "h", StatusCode = 201, ResponseJson = "{}" };
        api.Db(db => { db.IdempotencyRecords.Add(Record("row-undo-race")); return db.SaveChanges(); });
        var order = NewOrder("ROW-UNDO-RACE", api);
        var insertsOnly = new List<bool>();
        var (behavior, db, scope) = Build<OptimisticProbe>(api);
        using (scope)
        {
            var runs = 0;
            var result = await behavior.Handle(new OptimisticProbe("row-undo"), (cmd, ct) =>
            {
                runs++;
                // First run: the order and its lines, then a key the winner of a race already holds. Second run: a fresh key.
                if (runs == 1)
                {
                    db.Insert(order);
                    db.Insert(Record("row-undo-race"));
                }
                else db.Insert(Record("row-undo-second"));
                insertsOnly.Add(db.SavesOnlyInserts);
                return ValueTask.FromResult(Result<int>.Ok(runs));
            }, default);
            Assert.Equal(2, result.Value);
        }
        Assert.Equal([true, true], insertsOnly);
        Assert.False(api.Db(d => d.Orders.Any(o => o.Id == order.Id)));
        Assert.Equal(0, api.Db(d => d.Set<OrderLine>().Count(l => EF.Property<PaymentOrderId>(l, "OrderId") == order.Id)));
        Assert.Equal(1, api.Db(d => d.IdempotencyRecords.Count(r => r.Key == "row-undo-second")));

        // In a group, a command whose handler runs in its turn is guarded by a savepoint: from inside it, the writer has
        // set one so far, its own (alone, none). The insert-only command's two runs set none.
        long? savepoints = null;
        var (probe, probeDb, probeScope) = Build(api);
        using (probeScope)
            Assert.True((await probe.Handle(new ProbeCommand("row-undo-count"), (cmd, ct) =>
            {
                savepoints = SqliteNative.RunsOf((SqliteConnection)probeDb.Database.GetDbConnection(), "SAVEPOINT \"command\"");
                return ValueTask.FromResult(Result<int>.Ok(0));
            }, default)).IsSuccess);
        Assert.Equal(groupCommit ? 1 : 0, savepoints);
    }

    /// <summary>
    /// Undo deletes exactly the rows the inserts wrote, children first. A row that is no longer there means the
    /// transaction is not what the inserts left: Undo then throws, and the pipeline rolls the whole group back (Poison).
    /// </summary>
    [Fact]
    public async Task Undo_deletes_the_rows_the_inserts_wrote_and_refuses_when_one_is_gone()
    {
        if (ApiFactory.OnPostgres) return; // SQLite's own API (ADR-0030)
        using var api = new ApiFactory();
        using var scope = api.Services.CreateScope();
        var (db, connection) = await OpenAsync(scope);
        await using var tx = await db.Database.BeginTransactionAsync();
        var kept = NewOrder("ROW-UNDO-KEPT", api);
        await RowInserter.InsertAsync(db, kept, default);
        db.InsertedRows.Clear(); // written before the command's save: not its to take back
        var (first, second) = (NewOrder("ROW-UNDO-A", api), NewOrder("ROW-UNDO-B", api));
        await RowInserter.InsertAsync(db, first, default);
        await RowInserter.InsertAsync(db, second, default);
        Assert.Equal(6, db.InsertedRows.Count); // two orders of two lines each
        RowInserter.Undo(db, connection);
        Assert.Empty(db.InsertedRows);
        Assert.Equal(0, await CountInTransactionAsync(db, "ROW-UNDO-_"));
        Assert.Equal(1, await CountInTransactionAsync(db, "ROW-UNDO-KEPT"));
        Task<int> LinesOf(PaymentOrder order) => db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM \"OrderLines\" WHERE \"OrderId\" = {0}",
            order.Id.Value.ToString().ToUpperInvariant()).SingleAsync(); // Guids are stored as upper-case text
        Assert.Equal((2, 0, 0), (await LinesOf(kept), await LinesOf(first), await LinesOf(second)));

        await RowInserter.InsertAsync(db, first, default);
        Assert.Equal(2, await LinesOf(first));
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"OrderLines\" WHERE \"LineNo\" = 2 AND \"OrderId\" = {0}", first.Id.Value.ToString().ToUpperInvariant());
        Assert.Throws<InvalidOperationException>(() => RowInserter.Undo(db, connection));
    }

    [Fact]
    public async Task A_plain_update_under_a_stale_concurrency_token_writes_nothing_and_runs_the_command_again()
    {
        var order = NewOrder("ROW-UPDATE-RACE");
        var (behavior, db, scope) = Build();
        using var _ = scope;
        await behavior.Handle(new ProbeCommand("row-update-insert"), (cmd, ct) =>
        {
            db.Insert(order);
            return ValueTask.FromResult(Result<int>.Ok(1));
        }, default);

        // Optimistic, as the payment commands are: read outside the writer's turn, save in it.
        var (optimistic, odb, oscope) = Build<OptimisticProbe>();
        using var __ = oscope;
        var runs = 0;
        var result = await optimistic.Handle(new OptimisticProbe("row-update"), async (cmd, ct) =>
        {
            runs++;
            var tracked = await odb.Orders.SingleAsync(o => o.Id == order.Id, ct);
            // First run: another writer cancels the order between this read and the save (its version moves on).
            if (runs == 1) _api.Db(d => { d.Orders.Single(o => o.Id == order.Id).Cancel(DateTimeOffset.UtcNow); return d.SaveChanges(); });
            tracked.FlagForRefundReview();
            return Result<int>.Ok(runs);
        }, default);

        Assert.True(result.IsSuccess);
        Assert.Equal(2, runs);
        var back = _api.Db(d => d.Orders.AsNoTracking().Single(o => o.Id == order.Id));
        // Both changes are there, each on top of the other: the cancel, then the flag written over the cancelled order.
        Assert.Equal(OrderStatus.Cancelled, back.Status);
        Assert.True(back.RequiresRefundReview);
        Assert.Equal(order.Version + 2, back.Version);
    }

    [Fact]
    public void Every_pooled_SQLite_connection_runs_with_the_durability_settings_set_once_per_native_connection()
    {
        if (ApiFactory.OnPostgres) return; // a SQLite setting; PostgreSQL is durable by its own configuration
        // Set once per native connection: hold several at once (different handles), twice over (the pool hands them back).
        for (var round = 0; round < 2; round++)
        {
            var scopes = Enumerable.Range(0, 4).Select(_ => _api.Services.CreateScope()).ToList();
            try
            {
                foreach (var scope in scopes)
                {
                    var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
                    db.Database.OpenConnection();
                    using var cmd = db.Database.GetDbConnection().CreateCommand();
                    cmd.CommandText = "PRAGMA synchronous";
                    Assert.Equal(2L, cmd.ExecuteScalar()); // FULL
                    cmd.CommandText = "PRAGMA foreign_keys";
                    Assert.Equal(1L, cmd.ExecuteScalar());
                    cmd.CommandText = "PRAGMA busy_timeout";
                    Assert.Equal(10000L, cmd.ExecuteScalar());
                }
            }
            finally
            {
                foreach (var scope in scopes) scope.Dispose();
            }
        }
        // The check can fail: a fresh native connection that did not come through EF's interceptor has no busy timeout
        // (unpooled: a pooled one would be a handle the interceptor already set, which is the point above). Its
        // synchronous and foreign_keys happen to default to FULL and on in this build, hence the timeout as the witness.
        using var bare = new SqliteConnection($"Data Source={_api.DatabasePath};Pooling=False");
        bare.Open();
        using var probe = bare.CreateCommand();
        probe.CommandText = "PRAGMA busy_timeout";
        Assert.Equal(0L, probe.ExecuteScalar());
    }

    /// <summary>Every mapped, non-shadow value (complex properties included), compared as EF sees it.</summary>
    private static void AssertSameValues(IModel model, object expected, object actual)
    {
        foreach (var property in model.FindEntityType(expected.GetType())!.GetFlattenedProperties().Where(p => !p.IsShadowProperty()))
        {
            var getter = property.GetGetter();
            var (a, b) = (getter.GetClrValueUsingContainingEntity(expected), getter.GetClrValueUsingContainingEntity(actual));
            if (a is DateTimeOffset x && b is DateTimeOffset y)
                // Exact on SQLite (UTC ticks); PostgreSQL keeps microseconds, as it does for EF's own writes.
                Assert.True(Math.Abs((x - y).Ticks) < (ApiFactory.OnPostgres ? 10 : 1), $"{property.DeclaringType.DisplayName()}.{property.Name}: {x:O} ≠ {y:O}");
            else
                Assert.True(Equals(a, b), $"{property.DeclaringType.DisplayName()}.{property.Name}: {a} ≠ {b}");
        }
    }
}
