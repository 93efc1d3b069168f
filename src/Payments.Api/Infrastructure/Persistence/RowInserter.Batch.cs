using System.Collections;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>PostgreSQL: a save of new rows alone as one batch in PostgreSQL's implicit transaction (ADR-0037).</summary>
internal static partial class RowInserter
{
    /// <summary>
    /// PostgreSQL: whether <paramref name="aggregates"/> can go in one batch — every row plain-insertable, and no parent
    /// with a key the store generates (its children would need it before the batch is sent).
    /// </summary>
    public static bool CanBatch(IModel model, IEnumerable<object> aggregates)
    {
        try { return aggregates.All(a => Batchable(PlanFor(model, a.GetType()))); }
        catch (NotSupportedException) { return false; }
    }

    private static bool Batchable(Plan plan) => (plan.Generated is null || plan.Children.Length == 0) && plan.Children.All(c => Batchable(c.Plan));

    /// <summary>
    /// PostgreSQL: every row of <paramref name="aggregates"/>, then <paramref name="announcement"/> for the other nodes'
    /// caches when given (ADR-0036), as one <see cref="Npgsql.NpgsqlBatch"/> — one round trip. Without a transaction
    /// PostgreSQL runs a batch as one implicit transaction, ended by its single Sync: all of it commits, or none of it
    /// (ADR-0037). A refused row surfaces as a <see cref="DbUpdateException"/>, which the pipeline reads as a lost race.
    /// </summary>
    public static async Task InsertBatchAsync(IModel model, IReadOnlyList<object> aggregates, Npgsql.NpgsqlConnection connection,
        Npgsql.NpgsqlTransaction? transaction, string? announcement, CancellationToken ct)
    {
        // No error barriers (Npgsql's default, stated): one Sync at the end, so a refused row rolls back the rows before it.
        await using var batch = new Npgsql.NpgsqlBatch(connection, transaction) { EnableErrorBarriers = false };
        await using var parameters = connection.CreateCommand(); // makes each parameter as EF makes it for a command
        var rows = new List<(Plan Plan, object Entity)>();
        foreach (var aggregate in aggregates)
        {
            var plan = PlanFor(model, aggregate.GetType());
            if (!Batchable(plan)) throw new NotSupportedException($"{plan.Type.Name} cannot be written in one batch: save it with EF.");
            AddRows(plan, aggregate, null, batch, parameters, rows);
        }
        if (announcement is not null)
        {
            var notify = new Npgsql.NpgsqlBatchCommand(CacheChannel.NotifySql);
            notify.Parameters.AddWithValue("payload", announcement);
            batch.BatchCommands.Add(notify);
        }
        try
        {
            await using (var reader = await batch.ExecuteReaderAsync(ct))
            {
                foreach (var (plan, entity) in rows)
                {
                    if (plan.Generated is not { } generated) continue;
                    while (reader.FieldCount == 0) // results of statements without RETURNING, if the reader shows them
                        if (!await reader.NextResultAsync(ct)) throw new InvalidOperationException($"Inserting a {plan.Type.Name} returned no key.");
                    if (!await reader.ReadAsync(ct)) throw new InvalidOperationException($"Inserting a {plan.Type.Name} returned no key.");
                    generated.Field.SetValue(entity, Convert.ChangeType(reader.GetValue(0), generated.Field.FieldType));
                    await reader.NextResultAsync(ct);
                }
            }
        }
        catch (DbException ex)
        {
            throw new DbUpdateException($"Inserting {string.Join(", ", aggregates.Select(a => a.GetType().Name))} failed: {ex.Message}", ex);
        }
        for (var i = 0; i < rows.Count; i++)
            if (batch.BatchCommands[i].RecordsAffected != 1)
                throw new InvalidOperationException($"Inserting a {rows[i].Plan.Type.Name} wrote {batch.BatchCommands[i].RecordsAffected} rows.");
    }

    private static void AddRows(Plan plan, object entity, object?[]? parentKey, Npgsql.NpgsqlBatch batch, DbCommand parameters,
        List<(Plan, object)> rows)
    {
        foreach (var reference in plan.References)
            if (reference.GetGetter().GetClrValue(entity) is not null)
                throw new NotSupportedException($"{plan.Type.Name}.{reference.Name} is a reference to another entity: add the aggregate with EF instead.");
        var command = new Npgsql.NpgsqlBatchCommand(plan.Sql);
        foreach (var column in plan.Columns)
            command.Parameters.Add(column.Mapping.CreateParameter(parameters, column.Parameter,
                column.ParentKeyIndex >= 0 ? parentKey![column.ParentKeyIndex] : column.Getter!.GetClrValueUsingContainingEntity(entity), column.Nullable));
        batch.BatchCommands.Add(command);
        rows.Add((plan, entity));
        foreach (var child in plan.Children)
        {
            if (child.Navigation.GetGetter().GetClrValue(entity) is not IEnumerable items) continue;
            object?[]? key = null;
            foreach (var item in items)
            {
                key ??= child.PrincipalKey.Select(p => p.GetGetter().GetClrValueUsingContainingEntity(entity)).ToArray();
                AddRows(child.Plan, item, key, batch, parameters, rows);
            }
        }
    }
}
