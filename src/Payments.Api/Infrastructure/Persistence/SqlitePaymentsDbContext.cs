using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>The embedded default store. Its migrations live in Migrations/Sqlite.</summary>
public sealed class SqlitePaymentsDbContext(DbContextOptions<SqlitePaymentsDbContext> options) : PaymentsDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        base.ConfigureConventions(b);
        b.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}

/// <summary>
/// Money must survive a power cut: every connection runs with synchronous=FULL (WAL is set once on the file),
/// and waits for a lock instead of failing at once.
/// </summary>
internal sealed class SqliteDurabilityInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>For `dotnet ef migrations add X --context SqlitePaymentsDbContext --output-dir Infrastructure/Persistence/Migrations/Sqlite`.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePaymentsDbContext>
{
    public SqlitePaymentsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePaymentsDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
