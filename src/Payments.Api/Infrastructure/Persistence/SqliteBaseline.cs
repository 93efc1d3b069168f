using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// Brings a SQLite store to this build's migrations without EF's migrator where that is plain (ADR-0034): an empty file
/// runs Migrations/Sqlite/Baseline.sql, the script EF itself writes for every migration (<c>dotnet ef migrations
/// script</c>; a test fails when it no longer matches), and a store whose history lists every migration in it needs
/// nothing. EF's migrator builds each migration's target model to write its SQL (about a third of a second for the
/// nine, on a first start), and its check for pending ones reflects over the assembly (~85 ms of every restart).
/// Anything else (a store some migrations behind) is left to EF's migrator, as before.
/// </summary>
internal static partial class SqliteBaseline
{
    public const string ResourceName = "Sqlite.Baseline.sql";

    private static readonly Lazy<string> ScriptText = new(() =>
    {
        using var stream = typeof(SqliteBaseline).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream); // drops the byte-order mark EF's tool writes
        return reader.ReadToEnd();
    });

    /// <summary>The script EF wrote for every migration, from an empty store.</summary>
    public static string Script => ScriptText.Value;

    /// <summary>The migrations the script applies, in order, as it records them in the history.</summary>
    public static IReadOnlyList<string> Migrations => MigrationIds.Value;

    private static readonly Lazy<string[]> MigrationIds = new(() =>
        HistoryInsert().Matches(Script).Select(m => m.Groups[1].Value).ToArray());

    [GeneratedRegex("""INSERT INTO "__EFMigrationsHistory" \("MigrationId", "ProductVersion"\)\s+VALUES \('([^']+)'""")]
    private static partial Regex HistoryInsert();

    /// <summary>
    /// Creates an empty store from the script, or confirms that the store has every migration the script has. False
    /// when neither holds: EF's migrator must apply what is missing.
    /// </summary>
    public static async Task<bool> TryBringUpToDateAsync(PaymentsDbContext db)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var created = false;
        await db.Database.OpenConnectionAsync();
        try
        {
            if (await ScalarAsync(connection, "SELECT count(*) FROM sqlite_master") == 0)
            {
                // Each migration commits on its own, as under EF's migrator: a start stopped half-way leaves a history
                // that says what was applied, and the next start's migrator applies the rest.
                await using var command = connection.CreateCommand();
                command.CommandText = Script;
                await command.ExecuteNonQueryAsync();
                return created = true;
            }
            if (await ScalarAsync(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'") == 0)
                return false;
            var applied = (await RowReader.ColumnAsync(db, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"")).ToHashSet(StringComparer.Ordinal);
            return Migrations.All(applied.Contains);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
            // The script switches foreign keys off and on around a table rebuild: no pooled connection keeps its state.
            if (created) SqliteConnection.ClearPool(connection);
        }
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
