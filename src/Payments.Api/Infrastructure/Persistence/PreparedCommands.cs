using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// Commands kept per open connection, so that SQLite parses each statement once on a connection that stays open (the
/// group-commit writer's). They are dropped when the connection closes: a pooled connection reopens on another native
/// handle, where a statement prepared on the old one must not be stepped.
/// </summary>
internal static class PreparedCommands
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Cache = new();

    public static DbCommand For(DbConnection connection, string sql)
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
