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
