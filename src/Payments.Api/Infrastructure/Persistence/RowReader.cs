using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// A hot read as plain SQL on the context's connection and transaction, kept prepared per connection, with its
/// parameters converted by the EF type mapping of the property they are compared with (so a Guid or a converted id is
/// bound exactly as EF stores it). For the few reads on the create-order and callback paths (ADR-0025); queries
/// elsewhere stay LINQ. SQL uses quoted identifiers and <c>@name</c> parameters (SQLite and PostgreSQL).
/// </summary>
internal static class RowReader
{
    /// <summary>The mapping EF uses for <typeparamref name="TEntity"/>.<paramref name="property"/>'s column.</summary>
    public static RelationalTypeMapping MappingOf<TEntity>(DbContext db, string property) =>
        (RelationalTypeMapping)(db.Model.FindEntityType(typeof(TEntity))?.FindProperty(property)?.GetTypeMapping()
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{property} is not mapped."));

    /// <summary>
    /// The first column of each row of <paramref name="sql"/>, as text, on a command made for the call (not kept): for
    /// start-up's checks of what is already there. As LINQ, the first of them compiled EF's query pipeline, and each
    /// one its own query: about 400 ms of a restart on a slow machine, for queries a restart rarely needs to act on.
    /// Start-up's only: it takes no cancellation token, as start-up has none to give.
    /// </summary>
    public static async Task<List<string?>> ColumnAsync(DbContext db, string sql, params (string Name, object Value)[] parameters)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
            var values = new List<string?>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) values.Add(reader.IsDBNull(0) ? null : reader.GetValue(0).ToString());
            return values;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Runs <paramref name="sql"/> and hands the first row (if any) to <paramref name="read"/>.</summary>
    public static async Task<T?> FirstAsync<T>(DbContext db, string sql, Func<DbDataReader, T> read, CancellationToken ct,
        params (string Name, RelationalTypeMapping Mapping, object? Value)[] parameters)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var command = PreparedCommands.Take(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), sql);
            try
            {
                foreach (var (name, mapping, value) in parameters) command.Bind(name, mapping, value, nullable: false);
                await using var reader = await command.ExecuteReaderAsync(ct);
                return await reader.ReadAsync(ct) ? read(reader) : default;
            }
            finally { PreparedCommands.Release(command); }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
