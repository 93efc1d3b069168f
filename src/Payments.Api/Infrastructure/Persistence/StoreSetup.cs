using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Payments.Api.Infrastructure.Persistence;

public enum StoreKind { Sqlite, Postgres, SqlServer }

/// <summary>Chooses the store from configuration Payments:Store and ConnectionStrings:Payments.</summary>
internal static class StoreSetup
{
    public const string DefaultSqlite = "Data Source=data/payments.db";

    public static StoreKind ReadKind(IConfiguration config)
    {
        var raw = config["Payments:Store"] ?? "sqlite";
        return raw.ToLowerInvariant() switch
        {
            "sqlite" => StoreKind.Sqlite,
            "postgres" or "postgresql" => StoreKind.Postgres,
            "sqlserver" => StoreKind.SqlServer,
            _ => throw new InvalidOperationException($"Payments:Store must be sqlite, postgres or sqlserver (was '{raw}')."),
        };
    }

    /// <summary>
    /// Configuration is read when the first context is built (after the host is configured, tests included): each
    /// store has its own context type (and migrations); <see cref="PaymentsDbContext"/> resolves to the configured one.
    /// </summary>
    public static IServiceCollection AddPaymentsStore(this IServiceCollection services)
    {
        services.AddSingleton<IWriteGate>(sp =>
        {
            var config = sp.GetRequiredService<IConfiguration>();
            if (ReadKind(config) != StoreKind.Sqlite) return new NoWriteGate();
            // Group commit (ADR-0021) is on by default; Payments:Sqlite:GroupCommit=false commits each command alone.
            return new SingleWriterGate(sp.GetRequiredService<DbContextOptions<SqlitePaymentsDbContext>>(),
                config.GetValue("Payments:Sqlite:GroupCommit", true),
                Math.Max(1, config.GetValue("Payments:Sqlite:MaxGroup", 64)),
                TimeSpan.FromMilliseconds(config.GetValue("Payments:Sqlite:MaxGroupAgeMs", 10)),
                sp.GetRequiredService<ILogger<SingleWriterGate>>());
        });
        services.AddSingleton(sp => (IGroupCommit)sp.GetRequiredService<IWriteGate>());
        // Exact only when this process hears every write (ADR-0022): on by default for SQLite (it makes them all) and for
        // PostgreSQL (the other nodes' are heard on the cache channel, ADR-0036); off on SQL Server, where turning it on
        // is for a single node.
        services.AddSingleton(sp =>
        {
            var kind = ReadKind(sp.GetRequiredService<IConfiguration>());
            return new ReadCache(sp.GetRequiredService<IConfiguration>().GetValue("Payments:ReadCache:Enabled", kind != StoreKind.SqlServer),
                shared: kind == StoreKind.Postgres);
        });
        services.AddSingleton<ReadCacheInvalidator>();
        services.AddSingleton<CacheChannel>();
        services.AddHostedService(sp => sp.GetRequiredService<CacheChannel>());
        // Pooled contexts: a context (and its connection object, with the functions EF registers on it) is reused
        // across requests instead of rebuilt for each — that rebuilding was most of a simple read's cost.
        services.AddDbContextPool<SqlitePaymentsDbContext>((sp, o) =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString("Payments") ?? DefaultSqlite;
            EnsureDirectory(connectionString);
            // The compiled model (CompiledModels/Sqlite) saves building the model at start-up, about half a second here;
            // a test fails when it no longer matches the configuration it was generated from. Migrating a fresh store
            // skips EF's check for model changes without a migration (another ~0.6 s: it builds and diffs the whole
            // model): OperationsTests.Every_model_change_has_its_migration_on_every_store makes that check in CI.
            o.UseSqlite(connectionString, s => s.MigrationsAssembly(typeof(StoreSetup).Assembly.FullName))
                .UseModel(CompiledModels.Sqlite.SqlitePaymentsDbContextModel.Instance)
                .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning))
                .AddInterceptors(new SqliteDurabilityInterceptor(), new PreparedQueries(), sp.GetRequiredService<ReadCacheInvalidator>())
                .WithPaymentsTables();
        });
        services.AddDbContextPool<PostgresPaymentsDbContext>((sp, o) =>
            o.UseNpgsql(PostgresConnectionString(Required(sp.GetRequiredService<IConfiguration>())), s => s.MigrationsAssembly(typeof(StoreSetup).Assembly.FullName))
                .AddInterceptors(sp.GetRequiredService<ReadCacheInvalidator>()));
        services.AddDbContextPool<SqlServerPaymentsDbContext>((sp, o) =>
            o.UseSqlServer(Required(sp.GetRequiredService<IConfiguration>()), s => s.MigrationsAssembly(typeof(StoreSetup).Assembly.FullName))
                .AddInterceptors(sp.GetRequiredService<ReadCacheInvalidator>()));
        // The store is read from configuration once per host, not for every request's context.
        services.AddSingleton(sp => new ConfiguredStore(ReadKind(sp.GetRequiredService<IConfiguration>())));
        services.AddScoped<PaymentsDbContext>(sp => sp.GetRequiredService<ConfiguredStore>().Kind switch
        {
            StoreKind.Postgres => sp.GetRequiredService<PostgresPaymentsDbContext>(),
            StoreKind.SqlServer => sp.GetRequiredService<SqlServerPaymentsDbContext>(),
            _ => sp.GetRequiredService<SqliteKeptConnections>().Attach(sp.GetRequiredService<SqlitePaymentsDbContext>()),
        });
        services.AddSingleton(sp => new SqliteKeptConnections(
            Math.Max(0, sp.GetRequiredService<IConfiguration>().GetValue("Payments:Sqlite:KeptConnections", 32))));
        return services;
    }

    /// <summary>
    /// The PostgreSQL connection string as configured, with Npgsql's automatic preparation on unless it says otherwise:
    /// a statement run five times on a pooled connection is prepared there, so the server stops parsing and planning the
    /// same few queries on every request, and the prepared statements survive the pool's reset. PostgreSQL P4 (status
    /// read) +42 %; creates within the scatter (docs/BENCHMARKS.md, item 29). Set "Max Auto Prepare=0" to turn it off.
    /// </summary>
    internal static string PostgresConnectionString(string configured)
    {
        // Npgsql's own builder says it "contains" every key it knows; a plain one holds only what was written.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = configured };
        if (written.Keys.Cast<string>().Any(k => k.Replace(" ", "").Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
            return configured;
        return new Npgsql.NpgsqlConnectionStringBuilder(configured) { MaxAutoPrepare = 64 }.ConnectionString;
    }

    private static string Required(IConfiguration config) => config.GetConnectionString("Payments") is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value)
        ? value : throw new InvalidOperationException("ConnectionStrings:Payments is required for the postgres and sqlserver stores.");

    /// <summary>Applies pending migrations (never EnsureCreated) and puts the file in WAL mode.</summary>
    public static async Task MigrateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        // On SQLite the migrator gets a connection of its own from the pool (not a kept one, ADR-0028): it switches foreign
        // keys off around table rebuilds, and the pool is cleared below.
        var db = ReadKind(services.GetRequiredService<IConfiguration>()) == StoreKind.Sqlite
            ? scope.ServiceProvider.GetRequiredService<SqlitePaymentsDbContext>()
            : scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        // WAL first: a fresh file then takes its migrations with one fsync per commit instead of a rollback journal's several.
        if (db.Store == StoreKind.Sqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        // MigrateAsync also diffs the whole model against the snapshot (about two seconds here); a restart with nothing
        // to apply skips it. The migrations test (and `dotnet ef migrations has-pending-model-changes`) guards the diff.
        // On SQLite an empty store takes the baseline script, and a current one is told by its history (ADR-0034).
        var current = db.Store == StoreKind.Sqlite
            ? await SqliteBaseline.TryBringUpToDateAsync(db)
            : !(await db.Database.GetPendingMigrationsAsync()).Any();
        if (!current)
        {
            await db.Database.MigrateAsync();
            // SQLite migrations switch foreign keys off around table rebuilds, and the durability settings are applied
            // once per native connection: start the pool afresh so none carries the migrator's settings.
            if (db.Database.GetDbConnection() is SqliteConnection sqlite) SqliteConnection.ClearPool(sqlite);
        }
        if (await Features.Outbox.OutboxDispatcher.ReleaseLeasesOfAGoneProcessAsync(db, CancellationToken.None) is > 0 and var released)
            scope.ServiceProvider.GetRequiredService<ILogger<Features.Outbox.OutboxDispatcher>>()
                .LogWarning("Released {Count} outbox lease(s) left by a process that stopped mid-batch; those webhooks go out now", released);
    }

    private static void EnsureDirectory(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var dir = Path.GetDirectoryName(Path.GetFullPath(source));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
    }
}

/// <summary>The store this host runs on (Payments:Store), read once: the first time the host resolves a context.</summary>
internal sealed record ConfiguredStore(StoreKind Kind);
