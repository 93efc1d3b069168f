using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Storage;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// Commands kept per open connection, so that SQLite parses each statement once on a connection that stays open (the
/// group-commit writer's). They are dropped when the connection closes: a pooled connection reopens on another native
/// handle, where a statement prepared on the old one must not be stepped.
/// </summary>
internal static class PreparedCommands
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Cache = new();

    /// <summary>
    /// The kept command for <paramref name="sql"/> on this open connection, in <paramref name="transaction"/>, with no
    /// parameters yet. Hand it back with <see cref="Release"/> once executed (in a finally).
    /// </summary>
    public static DbCommand Take(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = For(connection, sql);
        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>A kept command must not hold on to the values it carried (a payer's details) until its next use.</summary>
    public static void Release(DbCommand command) => command.Parameters.Clear();

    /// <summary>Adds a parameter bound the way EF binds it for a column of this mapping (its converter, its provider type).</summary>
    public static void Bind(this DbCommand command, string name, RelationalTypeMapping mapping, object? value, bool nullable) =>
        command.Parameters.Add(mapping.CreateParameter(command, name, value, nullable));

    /// <summary>The column <paramref name="property"/> is stored in within <paramref name="table"/>, by EF's own mapping.</summary>
    public static Microsoft.EntityFrameworkCore.Metadata.IColumnMapping ColumnIn(this Microsoft.EntityFrameworkCore.Metadata.IProperty property,
        Microsoft.EntityFrameworkCore.Metadata.ITable table) =>
        Microsoft.EntityFrameworkCore.RelationalPropertyExtensions.GetTableColumnMappings(property).Single(m => m.Column.Table == table);

    private static readonly string[] Names = Enumerable.Range(0, 128).Select(i => "@p" + i).ToArray();

    /// <summary>The name of the <paramref name="i"/>th parameter (<c>@p0</c>, <c>@p1</c>, …), without a new string per bind.</summary>
    public static string Parameter(int i) => i < Names.Length ? Names[i] : "@p" + i;

    /// <summary>A quoted identifier, as SQLite and PostgreSQL both read it.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static readonly ConditionalWeakTable<DbCommand, DbDataReader> Readers = new();

    /// <summary>Notes the reader a kept command handed to code that disposes it itself (EF: <see cref="PreparedQueries"/>).</summary>
    public static void HandedOut(DbCommand command, DbDataReader reader) => Readers.AddOrUpdate(command, reader);

    /// <summary>Whether a reader handed out from a command kept on <paramref name="connection"/> is still open.</summary>
    public static bool HasOpenReader(DbConnection connection)
    {
        if (!Cache.TryGetValue(connection, out var commands)) return false;
        lock (commands) return commands.Values.Any(c => Readers.TryGetValue(c, out var reader) && !reader.IsClosed);
    }

    /// <summary>Closes the reader handed out from the command kept for <paramref name="sql"/> on <paramref name="connection"/>, if open.</summary>
    public static void CloseHandedOut(DbConnection connection, string sql)
    {
        if (!Cache.TryGetValue(connection, out var commands)) return;
        DbCommand? command;
        lock (commands) commands.TryGetValue(sql, out command);
        if (command is not null && Readers.TryGetValue(command, out var reader) && !reader.IsClosed) reader.Dispose();
    }

    /// <summary>Commands kept on <paramref name="connection"/>, and whether any still holds parameter values (tests).</summary>
    internal static (int Count, bool AnyHoldsValues) On(DbConnection connection)
    {
        if (!Cache.TryGetValue(connection, out var commands)) return (0, false);
        lock (commands) return (commands.Count, commands.Values.Any(c => c.Parameters.Count > 0));
    }

    private static DbCommand For(DbConnection connection, string sql)
    {
        if (connection.State != ConnectionState.Open) throw new InvalidOperationException("The connection is not open.");
        var commands = Cache.GetValue(connection, Watch);
        lock (commands)
        {
            if (commands.TryGetValue(sql, out var command)) return command;
            command = connection.CreateCommand();
            command.CommandText = sql;
            commands[sql] = command;
            return command;
        }
    }

    private static Dictionary<string, DbCommand> Watch(DbConnection connection)
    {
        var commands = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
        connection.StateChange += (_, e) =>
        {
            if (e.CurrentState == ConnectionState.Open) return;
            lock (commands)
            {
                foreach (var command in commands.Values) command.Dispose();
                commands.Clear();
            }
        };
        return commands;
    }
}
