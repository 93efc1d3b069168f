using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// Each pooled SQLite context keeps one connection open for its whole life instead of opening a pooled connection for
/// every query and closing it after (ADR-0028). Opening and closing cost more than a simple read, and closing drops every
/// statement prepared on the connection, so the hot reads (<see cref="RowReader"/>) were parsed again on each request.
/// Kept open, the context's connection keeps them prepared (<see cref="PreparedCommands"/>). The connection belongs to
/// this registry, not to EF (which would dispose it when the context returns to its pool), and is disposed with it.
/// </summary>
internal sealed class SqliteKeptConnections(int limit) : IDisposable
{
    /// <summary>The kept connections and the contexts they were given to (weakly: EF may dispose a context it no longer pools).</summary>
    private readonly List<(WeakReference<SqlitePaymentsDbContext> Owner, SqliteConnection Connection)> _all = [];

    /// <summary>
    /// A reader's page cache is dropped whenever another connection has committed since its last read (WAL), which under
    /// load is before nearly every read: 512 KB holds any one query's pages, and a kept connection need not grow to the
    /// default 2 MB.
    /// </summary>
    private const string ReaderCache = "PRAGMA cache_size=-512;";
    private bool _disposed;

    /// <summary>Gives <paramref name="db"/> its kept connection, opened and configured, unless it has it already.</summary>
    public SqlitePaymentsDbContext Attach(SqlitePaymentsDbContext db)
    {
        if (db.KeptConnection is { State: ConnectionState.Open } kept && NothingLeftOpenOn(kept))
        {
            if (!ReferenceEquals(db.Database.GetDbConnection(), kept)) db.Database.SetDbConnection(kept, contextOwnsConnection: false);
            return db;
        }
        var connectionString = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        var replaced = db.KeptConnection;
        if (replaced is not null)
        {
            Forget(replaced);
            db.KeptConnection = null;
        }
        // At most `limit` are kept (each holds a file and up to ~0.6 MB): past that, as in a burst of requests far beyond
        // the machine's cores, a context opens a pooled connection per query as EF does by default.
        if (!Reserve())
        {
            // Its connection was the one just closed: it gets a pooled one of EF's own instead.
            if (replaced is not null)
                db.Database.SetDbConnection(new SqliteConnection(new SqliteConnectionStringBuilder(connectionString.ToString()) { Pooling = true }.ToString()),
                    contextOwnsConnection: true);
            return db;
        }
        // Its own native connection, outside Microsoft.Data.Sqlite's pool: kept for the context's life, closed with it,
        // and its small page cache never handed to the writer through the pool.
        var connection = CreatedByEf(db, connectionString.ToString());
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
            lock (_all) _reserved--;
            throw;
        }
        lock (_all)
        {
            _reserved--;
            if (_disposed)
            {
                connection.Dispose();
                throw new ObjectDisposedException(nameof(SqliteKeptConnections));
            }
            _all.Add((new WeakReference<SqlitePaymentsDbContext>(db), connection));
        }
        db.Database.SetDbConnection(connection, contextOwnsConnection: false);
        db.KeptConnection = connection;
        return db;
    }

    private int _reserved;

    /// <summary>Takes a slot for a new kept connection, first closing those of contexts that are gone.</summary>
    private bool Reserve()
    {
        List<SqliteConnection> orphans = [];
        bool reserved;
        lock (_all)
        {
            if (_all.Count + _reserved >= limit)
                _all.RemoveAll(kept =>
                {
                    if (kept.Owner.TryGetTarget(out _)) return false;
                    orphans.Add(kept.Connection);
                    return true;
                });
            reserved = _all.Count + _reserved < limit;
            if (reserved) _reserved++;
        }
        foreach (var orphan in orphans) orphan.Dispose();
        return reserved;
    }

    /// <summary>Connections kept now (tests and diagnostics).</summary>
    internal int Count
    {
        get { lock (_all) return _all.Count; }
    }

    /// <summary>
    /// A request never leaves a transaction open on its context's connection (EF disposes it when the context goes back
    /// to its pool), nor a reader of a kept command (it would hold its read snapshot, and the next request would read
    /// old data); if one ever did, the connection is replaced rather than handed on with it.
    /// </summary>
    private static bool NothingLeftOpenOn(SqliteConnection connection) =>
        connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) != 0 && !PreparedCommands.HasOpenReader(connection);

    /// <summary>
    /// A connection made the way EF makes its own (with the SQL functions EF registers on it: <c>regexp</c>, the
    /// decimal arithmetic), through the provider's connection factory, then pointed at <paramref name="connectionString"/>.
    /// </summary>
    private static SqliteConnection CreatedByEf(SqlitePaymentsDbContext db, string connectionString)
    {
        var relational = db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalConnection>();
        var connection = (SqliteConnection)(CreateDbConnection.Invoke(relational, null)
            ?? throw new InvalidOperationException("EF's SQLite provider made no connection."));
        connection.ConnectionString = connectionString;
        return connection;
    }

    // RelationalConnection.CreateDbConnection is the providers' documented extension point (protected): the SQLite
    // provider's override creates the connection and registers its functions. A test runs a REGEXP query on a kept one.
    private static readonly System.Reflection.MethodInfo CreateDbConnection =
        typeof(Microsoft.EntityFrameworkCore.Storage.RelationalConnection).GetMethod("CreateDbConnection",
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, Type.EmptyTypes)
        ?? throw new InvalidOperationException("RelationalConnection.CreateDbConnection() is gone from this EF version.");

    private void Forget(SqliteConnection connection)
    {
        lock (_all) _all.RemoveAll(kept => ReferenceEquals(kept.Connection, connection));
        connection.Dispose();
    }

    public void Dispose()
    {
        List<SqliteConnection> all;
        lock (_all)
        {
            _disposed = true;
            all = [.. _all.Select(kept => kept.Connection)];
            _all.Clear();
        }
        foreach (var connection in all) connection.Dispose();
    }
}
