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

    /// <summary>Configuration is read when the first context is built (after the host is configured, tests included).</summary>
    public static IServiceCollection AddPaymentsStore(this IServiceCollection services)
    {
        services.AddSingleton<IWriteGate>(sp => ReadKind(sp.GetRequiredService<IConfiguration>()) == StoreKind.Sqlite
            ? new SingleWriterGate()
            : throw new InvalidOperationException("Only the sqlite store has a write gate."));
        services.AddDbContext<PaymentsDbContext, SqlitePaymentsDbContext>((sp, o) =>
        {
            var config = sp.GetRequiredService<IConfiguration>();
            var kind = ReadKind(config);
            if (kind != StoreKind.Sqlite)
                // The switch is real; the production stores get their own migrations in a later release. Fail loudly
                // at start-up rather than run a store whose schema was never migrated.
                throw new InvalidOperationException($"Payments:Store={kind} is not available in this build yet; use sqlite.");
            var connectionString = config.GetConnectionString("Payments") ?? DefaultSqlite;
            EnsureDirectory(connectionString);
            o.UseSqlite(connectionString, s => s.MigrationsAssembly(typeof(StoreSetup).Assembly.FullName))
                .AddInterceptors(new SqliteDurabilityInterceptor());
        }, optionsLifetime: ServiceLifetime.Singleton);
        return services;
    }

    /// <summary>Applies pending migrations (never EnsureCreated) and puts the file in WAL mode.</summary>
    public static async Task MigrateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    private static void EnsureDirectory(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var dir = Path.GetDirectoryName(Path.GetFullPath(source));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
    }
}
