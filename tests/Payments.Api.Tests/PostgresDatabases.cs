using Npgsql;

namespace Payments.Api.Tests;

/// <summary>Drops a test's own PostgreSQL database, waiting out sessions the test user may not end.</summary>
public static class PostgresDatabases
{
    /// <summary>
    /// <c>DROP DATABASE … WITH (FORCE)</c> ends the other sessions on the database, but only those of roles the caller
    /// belongs to. An autovacuum worker that happens to be vacuuming the fresh database has no role, so a non-superuser's
    /// drop fails with 42501 (seen on CI); without FORCE a session still closing gives 55006. Both pass in moments, so
    /// the drop is tried again for up to <paramref name="patience"/>, then the last error is thrown.
    /// </summary>
    public static async Task DropAsync(string server, string database, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(15));
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync().ConfigureAwait(false);
        while (true)
        {
            await using var drop = admin.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)";
            try
            {
                await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse
                                               && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }
    }
}
