using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// The row inserter's statements stepped on SQLite's own API (ADR-0030): prepared once per native connection, values
/// bound by position, no <see cref="SqliteCommand"/> in between. Microsoft.Data.Sqlite looks each parameter up by
/// name, allocates a parameter object and converts it again on every execution; an order, its line and its idempotency
/// record took 41–42 µs of the single writer's turn that way, 31–35 µs this way (Python's sqlite3: 15 µs). Only columns whose
/// provider values bind unambiguously are taken (text, integers, booleans, reals, blobs, Guids stored as text);
/// a table with any other column keeps the <see cref="SqliteCommand"/> path.
/// </summary>
internal static class SqliteNative
{
    internal enum Kind { Text, Integer, Real, Blob, GuidText }

    /// <summary>How a column's provider value is bound here, or null when only Microsoft.Data.Sqlite's binder should bind it.</summary>
    public static Kind? KindOf(RelationalTypeMapping mapping)
    {
        var type = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return Kind.Text;
        if (type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(bool)
            || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint)) return Kind.Integer;
        if (type == typeof(double) || type == typeof(float)) return Kind.Real;
        if (type == typeof(byte[])) return Kind.Blob;
        if (type == typeof(Guid))
        {
            // EF's mapping says how Microsoft.Data.Sqlite would store it: as text (upper-case, 'D') unless it is a BLOB.
            // Another provider's mapping (the plans are built per model) does not make SQLite parameters: not ours to bind.
            try
            {
                using var probe = new SqliteCommand();
                return mapping.CreateParameter(probe, "@probe", null, true) is SqliteParameter { SqliteType: SqliteType.Text } ? Kind.GuidText : null;
            }
            catch (InvalidCastException) { return null; }
        }
        return null;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> with <paramref name="values"/> (provider values, in parameter order) on the connection's
    /// current transaction. Returns the first column of the row it returns (<c>RETURNING</c>), or null.
    /// </summary>
    public static long? Execute(SqliteConnection connection, string sql, ReadOnlySpan<object?> values, ReadOnlySpan<Kind> kinds, bool returns)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        // SqliteCommand refuses to run outside its transaction; so does this. Were the transaction gone (SQLite rolls it
        // back by itself on some errors), an INSERT would commit on its own and a SAVEPOINT would open a new transaction.
        if (raw.sqlite3_get_autocommit(db) != 0)
            throw new InvalidOperationException("SQLite statements of the row inserter run inside the command's transaction, and there is none.");
        var stmt = Statements.For(connection, db, sql);
        try
        {
            for (var i = 0; i < values.Length; i++) Check(db, Bind(stmt, i + 1, values[i], kinds[i]));
            var rc = raw.sqlite3_step(stmt);
            long? returned = null;
            if (returns)
            {
                if (rc != raw.SQLITE_ROW) Fail(db, rc);
                returned = raw.sqlite3_column_int64(stmt, 0);
                rc = raw.sqlite3_step(stmt);
            }
            if (rc != raw.SQLITE_DONE) Fail(db, rc);
            if (values.Length > 0 && raw.sqlite3_changes(db) != 1)
                throw new InvalidOperationException($"A statement meant for one row (an INSERT, or the DELETE that takes one back) changed {raw.sqlite3_changes(db)} rows.");
            return returned;
        }
        finally
        {
            raw.sqlite3_reset(stmt);
            raw.sqlite3_clear_bindings(stmt); // a kept statement must not hold on to a payer's details until its next use
        }
    }

    /// <summary>
    /// Runs a statement without parameters or rows (a savepoint, its release) on the connection's current transaction,
    /// prepared once per connection. <see cref="Microsoft.Data.Sqlite.SqliteTransaction.Save"/> parses it anew each time.
    /// </summary>
    public static void Run(SqliteConnection connection, string sql) => Execute(connection, sql, [], [], returns: false);

    private static int Bind(sqlite3_stmt stmt, int index, object? value, Kind kind)
    {
        if (value is null || value is DBNull) return raw.sqlite3_bind_null(stmt, index);
        switch (kind)
        {
            case Kind.Text:
                return BindText(stmt, index, (string)value);
            case Kind.GuidText:
                Span<char> chars = stackalloc char[36];
                ((Guid)value).TryFormat(chars, out _, "D");
                Span<byte> utf8 = stackalloc byte[36];
                for (var i = 0; i < 36; i++) utf8[i] = (byte)char.ToUpperInvariant(chars[i]);
                return raw.sqlite3_bind_text(stmt, index, utf8);
            case Kind.Integer:
                return raw.sqlite3_bind_int64(stmt, index, value switch
                {
                    bool b => b ? 1 : 0,
                    _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
                });
            case Kind.Real:
                var real = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                if (double.IsNaN(real)) throw new InvalidOperationException("SQLite cannot store NaN.");
                return raw.sqlite3_bind_double(stmt, index, real);
            default:
                return raw.sqlite3_bind_blob(stmt, index, (byte[])value);
        }
    }

    private static int BindText(sqlite3_stmt stmt, int index, string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max <= 1024)
        {
            Span<byte> buffer = stackalloc byte[max];
            return raw.sqlite3_bind_text(stmt, index, buffer[..Encoding.UTF8.GetBytes(text, buffer)]); // SQLite copies it
        }
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try { return raw.sqlite3_bind_text(stmt, index, rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented))); }
        finally { ArrayPool<byte>.Shared.Return(rented); }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK) Fail(db, rc);
    }

    /// <summary>The error as Microsoft.Data.Sqlite would report it, so a unique violation still reads as a lost race.</summary>
    private static void Fail(sqlite3 db, int rc) =>
        throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));

    /// <summary>
    /// Statements kept per connection, finalized when it closes: a pooled connection reopens on another native handle,
    /// and the handle's close must not wait on statements nobody will step again.
    /// </summary>
    private sealed class Statements
    {
        private static readonly ConditionalWeakTable<SqliteConnection, Statements> Kept = new();
        private sqlite3? _db;
        private readonly Dictionary<string, sqlite3_stmt> _bySql = new(StringComparer.Ordinal);

        public static sqlite3_stmt For(SqliteConnection connection, sqlite3 db, string sql)
        {
            if (!Kept.TryGetValue(connection, out var kept))
            {
                // One entry and one handler per connection object, for its life: it may be closed and opened again.
                kept = new Statements();
                Kept.Add(connection, kept);
                connection.StateChange += (sender, e) =>
                {
                    if (e.CurrentState == System.Data.ConnectionState.Closed && Kept.TryGetValue((SqliteConnection)sender!, out var closed))
                        closed.FinalizeAll();
                };
            }
            if (!ReferenceEquals(kept._db, db))
            {
                kept.FinalizeAll(); // statements of another native handle must not be stepped on this one
                kept._db = db;
            }
            if (kept._bySql.TryGetValue(sql, out var found)) return found;
            var rc = raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out var stmt, out _);
            if (rc != raw.SQLITE_OK || stmt is null)
            {
                stmt?.Dispose();
                Fail(db, rc);
            }
            kept._bySql[sql] = stmt!;
            return stmt!;
        }

        private void FinalizeAll()
        {
            foreach (var stmt in _bySql.Values) stmt.Dispose();
            _bySql.Clear();
            _db = null;
        }

        /// <summary>
        /// Steps the statement kept for <paramref name="sql"/> with whatever it is bound to now, resets it, and returns
        /// SQLite's extended result code (tests: an INSERT whose bindings were cleared fails on its first NOT NULL column).
        /// </summary>
        public static int StepAsBound(SqliteConnection connection, string sql)
        {
            if (!Kept.TryGetValue(connection, out var kept) || !kept._bySql.TryGetValue(sql, out var stmt))
                throw new InvalidOperationException("No such statement is kept on this connection.");
            var rc = raw.sqlite3_step(stmt);
            var extended = rc is raw.SQLITE_DONE or raw.SQLITE_ROW ? rc : raw.sqlite3_extended_errcode(connection.Handle);
            raw.sqlite3_reset(stmt);
            return extended;
        }

        /// <summary>Statements kept on this connection (tests).</summary>
        public static int Count(SqliteConnection connection) => Kept.TryGetValue(connection, out var kept) ? kept._bySql.Count : 0;

        /// <summary>How many times the statement kept for <paramref name="sql"/> has run; 0 when none is kept (tests).</summary>
        public static int Runs(SqliteConnection connection, string sql) =>
            Kept.TryGetValue(connection, out var kept) && kept._bySql.TryGetValue(sql, out var stmt)
                ? raw.sqlite3_stmt_status(stmt, 6 /* SQLITE_STMTSTATUS_RUN */, 0) : 0;
    }

    /// <summary>Statements kept on this connection (tests).</summary>
    internal static int KeptOn(SqliteConnection connection) => Statements.Count(connection);

    /// <summary>How many times the statement kept for <paramref name="sql"/> on this connection has run (tests).</summary>
    internal static int RunsOf(SqliteConnection connection, string sql) => Statements.Runs(connection, sql);

    /// <summary>Steps a kept statement as it is bound now; SQLite's extended result code (tests).</summary>
    internal static int StepAsBound(SqliteConnection connection, string sql) => Statements.StepAsBound(connection, sql);
}
