using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Tests;

/// <summary>
/// On SQLite a pooled context keeps its connection open from one request to the next, so the hot reads stay prepared
/// (ADR-0028). What must hold: the connection and its statements really are kept; a connection is never handed to the
/// next request with a transaction still open on it; and reads on a kept connection see what was committed since.
/// </summary>
public class KeptConnectionTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;

    public KeptConnectionTests(ApiFactory api) => _api = api;

    private const string Probe = "SELECT count(*) FROM \"PaymentOrders\"";

    /// <summary>Uses a context for one request (a scope), then returns it to the pool; gives back the context and what <paramref name="use"/> made.</summary>
    private (PaymentsDbContext Context, T Value) InOneRequest<T>(Func<PaymentsDbContext, T> use)
    {
        using var scope = _api.Services.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        return (context, use(context));
    }

    /// <summary>Counts the orders with the kept command for <see cref="Probe"/> on <paramref name="connection"/>.</summary>
    private static long CountOrders(System.Data.Common.DbConnection connection)
    {
        var command = PreparedCommands.Take(connection, null, Probe);
        try { return (long)command.ExecuteScalar()!; }
        finally { PreparedCommands.Release(command); }
    }

    /// <summary>Leases contexts until <paramref name="wanted"/> comes back from the pool (it is FIFO), runs <paramref name="use"/> on it.</summary>
    private T OnContext<T>(PaymentsDbContext wanted, Func<PaymentsDbContext, T> use)
    {
        var held = new List<IServiceScope>();
        try
        {
            for (var i = 0; i < 256; i++)
            {
                var scope = _api.Services.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
                if (ReferenceEquals(db, wanted))
                {
                    using (scope) return use(db);
                }
                held.Add(scope); // keep the others leased, so the pool must hand out the wanted one
            }
            throw new InvalidOperationException("The pool never handed the context back.");
        }
        finally
        {
            foreach (var scope in held) scope.Dispose();
        }
    }

    [Fact]
    public void A_pooled_context_keeps_its_connection_open_and_its_statements_prepared_from_one_request_to_the_next()
    {
        if (ApiFactory.OnPostgres) return; // SQLite only: server stores pool their connections themselves
        PaymentsDbContext context;
        SqliteConnection connection;
        System.Data.Common.DbCommand prepared;
        using (var scope = _api.Services.CreateScope())
        {
            context = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
            connection = Assert.IsType<SqliteConnection>(context.Database.GetDbConnection());
            Assert.Equal(ConnectionState.Open, connection.State);
            prepared = PreparedCommands.Take(connection, null, Probe);
            Assert.IsType<long>(prepared.ExecuteScalar());
            PreparedCommands.Release(prepared);
        }
        Assert.Equal(ConnectionState.Open, connection.State); // back in the pool, still open

        OnContext(context, db =>
        {
            Assert.Same(connection, db.Database.GetDbConnection());
            Assert.Same(prepared, PreparedCommands.Take(connection, null, Probe)); // not parsed again
            return 0;
        });
    }

    [Fact]
    public void A_connection_left_inside_a_transaction_is_replaced_not_handed_to_the_next_request()
    {
        if (ApiFactory.OnPostgres) return;
        var (context, left) = InOneRequest(db =>
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            // Outside EF, so nothing disposes it when the context goes back to the pool.
            connection.BeginTransaction(deferred: true);
            Assert.Equal(0, SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle));
            return connection;
        });

        OnContext(context, db =>
        {
            var now = Assert.IsType<SqliteConnection>(db.Database.GetDbConnection());
            Assert.NotSame(left, now);
            Assert.Equal(ConnectionState.Open, now.State);
            Assert.NotEqual(0, SQLitePCL.raw.sqlite3_get_autocommit(now.Handle));
            return 0;
        });
        Assert.Equal(ConnectionState.Closed, left.State); // disposed, its transaction rolled back
    }

    [Fact]
    public async Task Past_the_limit_a_context_opens_a_pooled_connection_per_query_and_still_reads_and_writes()
    {
        if (ApiFactory.OnPostgres) return;
        using var api = new ApiFactory().With("Payments:Sqlite:KeptConnections", "2");
        await api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "KEPT-LIMIT-0"));
        var kept = api.Services.GetRequiredService<SqliteKeptConnections>();
        var scopes = Enumerable.Range(0, 5).Select(_ => api.Services.CreateScope()).ToList();
        try
        {
            var contexts = scopes.Select(s => s.ServiceProvider.GetRequiredService<PaymentsDbContext>()).ToList();
            Assert.Equal(2, kept.Count);
            Assert.Equal(2, contexts.Count(db => db.Database.GetDbConnection().State == ConnectionState.Open));
            Assert.All(contexts, db => Assert.True(db.Orders.Any())); // kept or not, every context reads
            Assert.Equal(2, contexts.Count(db => db.Database.GetDbConnection().State == ConnectionState.Open)); // EF closed its own after the read
        }
        finally
        {
            foreach (var scope in scopes) scope.Dispose();
        }
        // Writes through the pipeline on contexts of both kinds (the writer's turn hands each its connection back as it was).
        var portal = api.Portal();
        await Task.WhenAll(Enumerable.Range(1, 8).Select(i => portal.CreateOrderAsync(Wire.OrderBody(dossier: $"KEPT-LIMIT-{i}"))));
        Assert.Equal(9, api.Db(db => db.Orders.Count(o => o.DossierCode.StartsWith("KEPT-LIMIT-"))));
        Assert.Equal(2, kept.Count);
    }

    [Fact]
    public async Task A_tagged_query_runs_on_a_command_kept_prepared_with_its_own_parameters_each_time()
    {
        if (ApiFactory.OnPostgres) return;
        var portal = _api.Portal();
        var ids = new List<string>();
        for (var i = 0; i < 2; i++) ids.Add((await portal.CreateOrderAsync(Wire.OrderBody(dossier: $"KEPT-TAG-{i}"))).GetProperty("id").GetString()!);
        using var scope = _api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var connection = db.Database.GetDbConnection();
        Domain.Orders.PaymentOrder Load(string id)
        {
            var key = new Domain.Common.PaymentOrderId(Guid.Parse(id));
            return db.Orders.TagWith(PreparedQueries.Tag).Include(o => o.Lines).AsNoTracking().Single(o => o.Id == key);
        }

        var before = PreparedCommands.On(connection).Count;
        Assert.Equal("KEPT-TAG-0", Load(ids[0]).DossierCode);
        Assert.Equal(before + 1, PreparedCommands.On(connection).Count); // kept on the connection
        Assert.Equal("KEPT-TAG-1", Load(ids[1]).DossierCode); // the same kept command with the new parameter
        Assert.Equal((before + 1, false), PreparedCommands.On(connection)); // not a second one; no caller's values held

        // Nested in another's open results, the same query cannot use the kept command: EF runs its own.
        var key0 = new Domain.Common.PaymentOrderId(Guid.Parse(ids[0]));
        var nested = db.Orders.TagWith(PreparedQueries.Tag).AsNoTracking().Where(o => o.Id == key0).AsEnumerable()
            .Select(o => (o.DossierCode, Inner: db.Orders.TagWith(PreparedQueries.Tag).AsNoTracking().Where(x => x.Id == key0).AsEnumerable().Single().DossierCode))
            .Single();
        Assert.Equal(("KEPT-TAG-0", "KEPT-TAG-0"), nested);
    }

    [Fact]
    public async Task A_connection_with_a_prepared_reader_left_open_is_replaced_so_the_next_request_reads_no_old_snapshot()
    {
        if (ApiFactory.OnPostgres) return;
        var (context, left) = InOneRequest(db =>
        {
            // A tagged query's results read one row and then abandoned: its statement keeps the connection's snapshot.
            var rows = db.Orders.TagWith(PreparedQueries.Tag).AsNoTracking().AsEnumerable().GetEnumerator();
            rows.MoveNext();
            return db.Database.GetDbConnection();
        });
        var before = _api.Db(db => db.Orders.Count());
        await _api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "KEPT-SNAPSHOT-1"));

        var seen = OnContext(context, db =>
        {
            Assert.NotSame(left, db.Database.GetDbConnection());
            return db.Orders.Count();
        });
        Assert.Equal(before + 1, seen);
    }

    [Fact]
    public async Task A_command_through_the_pipeline_leaves_the_context_its_kept_connection()
    {
        if (ApiFactory.OnPostgres) return;
        PaymentsDbContext context;
        System.Data.Common.DbConnection kept;
        using (var scope = _api.Services.CreateScope())
        {
            context = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
            kept = context.Database.GetDbConnection();
            var behavior = new Infrastructure.Pipeline.TransactionBehavior<ProbeCommand, Domain.Common.Result<int>>(context,
                scope.ServiceProvider.GetRequiredService<IWriteGate>(), scope.ServiceProvider.GetRequiredService<IGroupCommit>(),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<Infrastructure.Pipeline.TransactionBehavior<ProbeCommand, Domain.Common.Result<int>>>.Instance);
            var result = await behavior.Handle(new ProbeCommand("kept-pipeline"), (_, _) =>
            {
                context.Audit.Add(new AuditEntry { At = DateTimeOffset.UtcNow, Actor = "test", Action = "kept.pipeline", EntityType = "test", EntityId = "1" });
                return ValueTask.FromResult(Domain.Common.Result<int>.Ok(1));
            }, default);
            Assert.True(result.IsSuccess);
            Assert.Same(kept, context.Database.GetDbConnection()); // the writer's connection only for the turn
        }
        Assert.Equal(ConnectionState.Open, kept.State); // EF did not take it over and close it at the pool's reset
        OnContext(context, db =>
        {
            Assert.Same(kept, db.Database.GetDbConnection());
            return 0;
        });
    }

    [Fact]
    public async Task A_kept_connection_has_the_SQL_functions_EF_registers_on_its_own()
    {
        if (ApiFactory.OnPostgres) return;
        using var scope = _api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        Assert.Equal(ConnectionState.Open, db.Database.GetDbConnection().State); // a kept one
        await _api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "KEPT-REGEX-1"));
        Assert.True(db.Orders.Count(o => System.Text.RegularExpressions.Regex.IsMatch(o.DossierCode, "^KEPT-REGEX-[0-9]$")) >= 1);
    }

    [Fact]
    public async Task A_kept_connection_reads_what_the_writer_committed_after_its_last_read()
    {
        if (ApiFactory.OnPostgres) return;
        var (context, before) = InOneRequest(db => CountOrders(db.Database.GetDbConnection()));
        await _api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "KEPT-READ-1")); // committed on the writer's connection

        var after = OnContext(context, db => CountOrders(db.Database.GetDbConnection()));
        Assert.Equal(before + 1, after);
    }
}
