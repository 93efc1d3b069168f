using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// EF creates a new command for every execution of a query, so SQLite parses its SQL every time, even on a connection
/// that stays open. A query tagged <c>.TagWith(PreparedQueries.Tag)</c> is instead run on a command kept per connection
/// (<see cref="PreparedCommands"/>): EF's command hands over its parameters and is never executed; the kept command
/// parses once per connection (ADR-0028). Only the hot reads of the callback path are tagged; on a connection that is
/// not kept open the kept command is dropped at close, which costs nothing more than EF's own. SQLite only; the server
/// stores ignore the tag.
/// </summary>
internal sealed class PreparedQueries : DbCommandInterceptor
{
    public const string Tag = "prepared";
    private const string Marker = "-- " + Tag;

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Run(command) is { } reader ? InterceptionResult<DbDataReader>.SuppressWithResult(reader) : result;

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken ct = default) =>
        ValueTask.FromResult(ReaderExecuting(command, eventData, result));

    // If EF fails between taking the reader and wrapping it (another interceptor throwing), it disposes only its own
    // command: the kept command's reader is closed here, so it holds no read snapshot on the connection.
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => CloseGiven(command);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken ct = default)
    {
        CloseGiven(command);
        return Task.CompletedTask;
    }

    private static void CloseGiven(DbCommand command)
    {
        if (command.Connection is { } connection) PreparedCommands.CloseHandedOut(connection, command.CommandText);
    }

    private static SqliteDataReader? Run(DbCommand command)
    {
        var sql = command.CommandText;
        if (!sql.StartsWith(Marker, StringComparison.Ordinal) || sql.Length == Marker.Length || sql[Marker.Length] is not ('\n' or '\r')
            || command.Connection is not SqliteConnection { State: ConnectionState.Open } connection)
            return null;
        var kept = (SqliteCommand)PreparedCommands.Take(connection, command.Transaction, command.CommandText);
        try
        {
            foreach (SqliteParameter parameter in command.Parameters)
                kept.Parameters.AddWithValue(parameter.ParameterName, parameter.Value).SqliteType = parameter.SqliteType;
            var reader = kept.ExecuteReader();
            PreparedCommands.HandedOut(kept, reader);
            return reader;
        }
        catch (InvalidOperationException)
        {
            return null; // the kept command still has an open reader (a query nested in another's results)
        }
        finally
        {
            // Bound when the statement first steps (inside ExecuteReader): a tagged query must be one statement (a second
            // would find its parameters gone).
            PreparedCommands.Release(kept);
        }
    }
}
