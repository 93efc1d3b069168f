using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// PostgreSQL, for a province's database server. Instants are stored as timestamptz in UTC (Npgsql accepts only
/// offset 0); its migrations live in Migrations/Postgres.
/// </summary>
public sealed class PostgresPaymentsDbContext(DbContextOptions<PostgresPaymentsDbContext> options) : PaymentsDbContext(options)
{
    public override StoreKind Store => StoreKind.Postgres;

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        base.ConfigureConventions(b);
        b.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
    }
}

/// <summary>SQL Server, for provinces that run it: datetimeoffset kept in UTC; migrations in Migrations/SqlServer.</summary>
public sealed class SqlServerPaymentsDbContext(DbContextOptions<SqlServerPaymentsDbContext> options) : PaymentsDbContext(options)
{
    public override StoreKind Store => StoreKind.SqlServer;

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        base.ConfigureConventions(b);
        b.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
    }
}

internal sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v.ToUniversalTime());

/// <summary>For `dotnet ef migrations add X --context PostgresPaymentsDbContext --output-dir Infrastructure/Persistence/Migrations/Postgres`.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPaymentsDbContext>
{
    public PostgresPaymentsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPaymentsDbContext>().UseNpgsql("Host=127.0.0.1;Database=design_time").Options);
}

/// <summary>For `dotnet ef migrations add X --context SqlServerPaymentsDbContext --output-dir Infrastructure/Persistence/Migrations/SqlServer`.</summary>
internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerPaymentsDbContext>
{
    public SqlServerPaymentsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerPaymentsDbContext>().UseSqlServer("Server=localhost;Database=design_time;Trusted_Connection=True").Options);
}

/// <summary>Which store errors mean "another writer won a race" (a unique index or primary key refused a second row).</summary>
internal static class StoreErrors
{
    public static bool IsUniqueViolation(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
            if (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 }
                || e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                || e is SqlException { Number: 2601 or 2627 })
                return true;
        return false;
    }
}
