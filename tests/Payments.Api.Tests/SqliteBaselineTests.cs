using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Tests;

/// <summary>An empty SQLite store is created from EF's script of every migration, not by EF's migrator (ADR-0034).</summary>
public sealed class SqliteBaselineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("baseline-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private SqlitePaymentsDbContext Store(string name) => new(new DbContextOptionsBuilder<SqlitePaymentsDbContext>()
        .UseSqlite($"Data Source={Path.Combine(_dir, name)}").WithPaymentsTables().Options);

    /// <summary>
    /// When this fails (a migration was added or changed), run in src/Payments.Api:
    /// <c>dotnet ef migrations script --context SqlitePaymentsDbContext -o Infrastructure/Persistence/Migrations/Sqlite/Baseline.sql</c>.
    /// </summary>
    [Fact]
    public void The_baseline_script_is_the_one_ef_writes_for_every_migration()
    {
        using var db = Store("script.db");
        var script = db.GetService<IMigrator>().GenerateScript();
        static string Normal(string s) => s.Replace("\r\n", "\n").Trim();
        Assert.True(Normal(script) == Normal(SqliteBaseline.Script), "Migrations/Sqlite/Baseline.sql is stale: regenerate it (see this test's summary).");
        Assert.Equal(db.Database.GetMigrations(), SqliteBaseline.Migrations);
    }

    [Fact]
    public async Task An_empty_store_created_from_the_script_is_the_store_efs_migrator_makes()
    {
        await using (var migrated = Store("migrated.db")) await migrated.Database.MigrateAsync();
        await using (var scripted = Store("scripted.db")) Assert.True(await SqliteBaseline.TryBringUpToDateAsync(scripted));

        await using var a = Store("migrated.db");
        await using var b = Store("scripted.db");
        // Tables, indexes (their SQL, WITHOUT ROWID included) and the history, all but EF's own migration lock.
        const string schema = "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE '__EFMigrationsLock%' ORDER BY name";
        var expected = await RowReader.ColumnAsync(a, schema);
        Assert.Contains(expected, s => s!.StartsWith("table PaymentOrders "));
        Assert.Equal(expected, await RowReader.ColumnAsync(b, schema));
        const string history = "SELECT \"MigrationId\" || ' ' || \"ProductVersion\" FROM \"__EFMigrationsHistory\" ORDER BY 1";
        Assert.Equal(await RowReader.ColumnAsync(a, history), await RowReader.ColumnAsync(b, history));
        Assert.Empty(await b.Database.GetPendingMigrationsAsync());
        // The rebuild in the last migration switched foreign keys off and on again: they are on.
        Assert.Equal(["1"], await RowReader.ColumnAsync(b, "PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task A_store_that_lacks_a_migration_is_left_to_efs_migrator_and_a_current_one_is_left_alone()
    {
        await using (var db = Store("store.db")) Assert.True(await SqliteBaseline.TryBringUpToDateAsync(db));
        await using (var db = Store("store.db"))
        {
            var before = await RowReader.ColumnAsync(db, "SELECT count(*) FROM sqlite_master");
            Assert.True(await SqliteBaseline.TryBringUpToDateAsync(db)); // current: nothing run
            Assert.Equal(before, await RowReader.ColumnAsync(db, "SELECT count(*) FROM sqlite_master"));
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {0}", SqliteBaseline.Migrations[^1]);
            Assert.False(await SqliteBaseline.TryBringUpToDateAsync(db));
        }
        // A file with tables of its own and no history is not ours to script either.
        await using (var other = Store("other.db"))
        {
            await other.Database.ExecuteSqlRawAsync("CREATE TABLE \"Something\" (\"Id\" INTEGER PRIMARY KEY)");
            Assert.False(await SqliteBaseline.TryBringUpToDateAsync(other));
        }
    }
}
