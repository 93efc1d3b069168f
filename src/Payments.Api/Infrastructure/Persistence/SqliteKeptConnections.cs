using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// Each pooled SQLite context keeps one connection open for its whole life instead of opening a pooled connection for
/// every query and closing it after (ADR-0028). Opening and closing cost more than a simple read, and closing drops every
/// statement prepared on the connection, so the hot reads (<see cref="RowReader"/>) were parsed again on each request.
/// Kept open, the context's connection keeps them prepared (<see cref="PreparedCommands"/>). The connection belongs to
/// this registry, not to EF (which would dispose it when the context returns to its pool), and is disposed with it.
/// </summary>
internal sealed class SqliteKeptConnections : IDisposable
{
    private readonly List<SqliteConnection> _all = [];

    /// <summary>
    /// A reader's page cache is dropped whenever another connection has committed since its last read (WAL), which under
    /// load is before nearly every read: 512 KB holds any one query's pages, where the default 2 MB per kept connection
    /// added ~15 MB to the service's peak memory under load.
    /// </summary>
    private const string ReaderCache = "PRAGMA cache_size=-512;";
    private bool _disposed;

    /// <summary>Gives <paramref name="db"/> its kept connection, opened and configured, unless it has it already.</summary>
    public SqlitePaymentsDbContext Attach(SqlitePaymentsDbContext db)
    {
        if (db.KeptConnection is { State: ConnectionState.Open } kept && NoTransactionLeftOn(kept))
        {
            if (!ReferenceEquals(db.Database.GetDbConnection(), kept)) db.Database.SetDbConnection(kept, contextOwnsConnection: false);
            return db;
        }
        if (db.KeptConnection is { } broken) Forget(broken);
        // Its own native connection, outside Microsoft.Data.Sqlite's pool: kept for the context's life, closed with it,
        // and its small page cache never handed to the writer through the pool.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString());
        try
        {
            connection.Open();
            SqliteDurabilityInterceptor.Configure(connection);
            using var cache = connection.CreateCommand();
            cache.CommandText = ReaderCache;
            cache.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        lock (_all)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _all.Add(connection);
        }
        db.Database.SetDbConnection(connection, contextOwnsConnection: false);
        db.KeptConnection = connection;
        return db;
    }

    /// <summary>
    /// A request never leaves a transaction open on its context's connection (EF disposes it when the context goes back
    /// to its pool); if one ever did, the connection is replaced rather than handed on with it.
    /// </summary>
    private static bool NoTransactionLeftOn(SqliteConnection connection) =>
        connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) != 0;

    private void Forget(SqliteConnection connection)
    {
        lock (_all) _all.Remove(connection);
        connection.Dispose();
    }

    public void Dispose()
    {
        List<SqliteConnection> all;
        lock (_all)
        {
            _disposed = true;
            all = [.. _all];
            _all.Clear();
        }
        foreach (var connection in all) connection.Dispose();
    }
}
