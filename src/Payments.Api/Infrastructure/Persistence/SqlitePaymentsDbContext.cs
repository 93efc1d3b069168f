using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>The embedded default store. Its migrations live in Migrations/Sqlite.</summary>
public sealed class SqlitePaymentsDbContext(DbContextOptions<SqlitePaymentsDbContext> options) : PaymentsDbContext(options)
{
    /// <summary>The connection this pooled context keeps open across requests (<see cref="SqliteKeptConnections"/>), once given one.</summary>
    internal SqliteConnection? KeptConnection { get; set; }

    public override StoreKind Store => StoreKind.Sqlite;

    internal override bool Keeps(DbConnection connection) => ReferenceEquals(connection, KeptConnection);

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        base.ConfigureConventions(b);
        b.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}

/// <summary>
/// Money must survive a power cut: every connection runs with synchronous=FULL (WAL is set once on the file),
/// and waits for a lock instead of failing at once. The settings belong to the native connection, which the pool keeps
/// open across uses: they are set the first time a native connection is seen, not on every open (a read per request
/// used to parse and run them each time).
/// </summary>
internal sealed class SqliteDurabilityInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Prepared = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Configure(connection);

    /// <summary>Applies the settings to an open connection whose native connection does not have them yet.</summary>
    internal static void Configure(DbConnection connection)
    {
        if (Configured(connection)) return;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        cmd.ExecuteNonQuery();
        MarkConfigured(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        if (Configured(connection)) return;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        await cmd.ExecuteNonQueryAsync(ct);
        MarkConfigured(connection);
    }

    /// <summary>Whether this native connection (the pool's handle, not the ADO.NET object) already runs with the settings.</summary>
    private static bool Configured(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && Prepared.TryGetValue(handle, out _);

    private static void MarkConfigured(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle }) Prepared.AddOrUpdate(handle, Prepared);
    }
}

/// <summary>For `dotnet ef migrations add X --context SqlitePaymentsDbContext --output-dir Infrastructure/Persistence/Migrations/Sqlite`.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePaymentsDbContext>
{
    public SqlitePaymentsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePaymentsDbContext>().UseSqlite("Data Source=design-time.db").WithPaymentsTables().Options);
}
