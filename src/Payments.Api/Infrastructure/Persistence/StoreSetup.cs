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
        services.AddSingleton<IWriteGate>(sp => ReadKind(sp.GetRequiredService<IConfiguration>()) == StoreKind.Sqlite
            ? new SingleWriterGate()
            : new NoWriteGate());
        // Pooled contexts: a context (and its connection object, with the functions EF registers on it) is reused
        // across requests instead of rebuilt for each — that rebuilding was most of a simple read's cost.
        services.AddDbContextPool<SqlitePaymentsDbContext>((sp, o) =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString("Payments") ?? DefaultSqlite;
            EnsureDirectory(connectionString);
            o.UseSqlite(connectionString, s => s.MigrationsAssembly(typeof(StoreSetup).Assembly.FullName))
                .AddInterceptors(new SqliteDurabilityInterceptor());
        });
        services.AddDbContextPool<PostgresPaymentsDbContext>((sp, o) =>
            o.UseNpgsql(Required(sp.GetRequiredService<IConfiguration>()), s => s.MigrationsAssembly(typeof(StoreSetup).Assembly.FullName)));
        services.AddDbContextPool<SqlServerPaymentsDbContext>((sp, o) =>
            o.UseSqlServer(Required(sp.GetRequiredService<IConfiguration>()), s => s.MigrationsAssembly(typeof(StoreSetup).Assembly.FullName)));
        services.AddScoped<PaymentsDbContext>(sp => ReadKind(sp.GetRequiredService<IConfiguration>()) switch
        {
            StoreKind.Postgres => sp.GetRequiredService<PostgresPaymentsDbContext>(),
            StoreKind.SqlServer => sp.GetRequiredService<SqlServerPaymentsDbContext>(),
            _ => sp.GetRequiredService<SqlitePaymentsDbContext>(),
        });
        return services;
    }

    private static string Required(IConfiguration config) => config.GetConnectionString("Payments") is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value)
        ? value : throw new InvalidOperationException("ConnectionStrings:Payments is required for the postgres and sqlserver stores.");

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
