using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// Saves a change set made only of modified entities (a payment: the order, its attempt, the receipt counter) as one
/// plain UPDATE per row on SQLite: the changed columns, the key and the concurrency tokens' original values in the
/// WHERE, kept prepared on the writer connection. EF's save builds its commands afresh every time, and on SQLite it runs
/// in the single writer's turn, where every microsecond is everybody's (ADR-0025). Anything else tracked (a new or
/// deleted entity) goes through EF as before. A row not found under its original token fails exactly like EF's save:
/// <see cref="DbUpdateConcurrencyException"/>, which the pipeline reads as a lost race.
/// </summary>
internal static class RowUpdater
{
    private static readonly ConcurrentDictionary<string, string> Sql = new(StringComparer.Ordinal);

    /// <summary>False (nothing written) when the change set is not one this writes; the caller then saves with EF.</summary>
    public static async Task<bool> TryUpdateAsync(PaymentsDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return false;
        if (!db.ChangeTracker.Entries().Any()) return true; // nothing tracked (a create writes through Insert only)
        db.ChangeTracker.DetectChanges();
        var auto = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var modified = new List<EntityEntry>();
            foreach (var entry in db.ChangeTracker.Entries())
            {
                if (entry.State is EntityState.Added or EntityState.Deleted) return false;
                if (entry.State == EntityState.Modified) modified.Add(entry);
            }
            if (modified.Count == 0) return true;
            var rows = modified.Select(Row).ToList();
            if (rows.Any(r => r is null)) return false;

            db.MarkStale(ReadCache.StaleKeys(db));
            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                ?? throw new InvalidOperationException("Rows are updated inside the command's transaction.");
            foreach (var row in rows)
            {
                var command = PreparedCommands.Take(connection, transaction, row!.Sql);
                int affected;
                try
                {
                    for (var i = 0; i < row.Values.Count; i++)
                    {
                        var (property, value) = row.Values[i];
                        command.Bind("@p" + i, (RelationalTypeMapping)property.GetTypeMapping(), value, property.IsNullable);
                    }
                    affected = await command.ExecuteNonQueryAsync(ct);
                }
                catch (System.Data.Common.DbException ex) { throw new DbUpdateException($"Updating a {row.Entry.Metadata.DisplayName()} failed: {ex.Message}", ex); }
                finally { PreparedCommands.Release(command); }
                if (affected != 1)
                    throw new DbUpdateConcurrencyException(
                        $"The {row.Entry.Metadata.DisplayName()} changed or went away since it was read ({affected} rows under its original values).");
            }
            db.ChangeTracker.AcceptAllChanges();
            return true;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = auto;
        }
    }

    private sealed record Update(EntityEntry Entry, string Sql, List<(IProperty Property, object? Value)> Values);

    /// <summary>The UPDATE for one entry, or null when it has something this does not write (store-computed values).</summary>
    private static Update? Row(EntityEntry entry)
    {
        var type = entry.Metadata;
        var table = type.GetTableMappings().Single().Table;
        var set = new List<(IProperty Property, object? Value)>();
        var where = new List<(IProperty Property, object? Value)>();
        foreach (var (property, value) in Properties(entry))
        {
            if (property.ValueGenerated.HasFlag(ValueGenerated.OnUpdate)) return null;
            if (property.IsPrimaryKey()) where.Add((property, value.CurrentValue));
            else
            {
                if (value.IsModified) set.Add((property, value.CurrentValue));
                if (property.IsConcurrencyToken) where.Add((property, value.OriginalValue));
            }
        }
        if (set.Count == 0) return null;

        var column = (IProperty p) => p.GetTableColumnMappings().Single(m => m.Column.Table == table).Column.Name;
        var shape = new StringBuilder(table.Name).Append('|').AppendJoin(',', set.Select(s => column(s.Property))).Append('|')
            .AppendJoin(',', where.Select(w => column(w.Property) + (w.Value is null ? " null" : ""))).ToString();
        var sql = Sql.GetOrAdd(shape, _ =>
        {
            var i = 0;
            var text = new StringBuilder("UPDATE ").Append(PreparedCommands.Quote(table.Name)).Append(" SET ")
                .AppendJoin(", ", set.Select(s => $"{PreparedCommands.Quote(column(s.Property))} = @p{i++}")).Append(" WHERE ")
                .AppendJoin(" AND ", where.Select(w => w.Value is null ? $"{PreparedCommands.Quote(column(w.Property))} IS NULL" : $"{PreparedCommands.Quote(column(w.Property))} = @p{i++}"));
            return text.ToString();
        });
        var values = set.Concat(where.Where(w => w.Value is not null)).ToList();
        return new Update(entry, sql, values);
    }

    /// <summary>Every mapped property of the entry with its values, complex properties' included.</summary>
    private static IEnumerable<(IProperty, PropertyEntry)> Properties(EntityEntry entry)
    {
        foreach (var property in entry.Metadata.GetProperties()) yield return (property, entry.Property(property));
        foreach (var complex in entry.Metadata.GetComplexProperties())
            foreach (var nested in Properties(entry.ComplexProperty(complex)))
                yield return nested;
    }

    private static IEnumerable<(IProperty, PropertyEntry)> Properties(ComplexPropertyEntry entry)
    {
        foreach (var property in entry.Metadata.ComplexType.GetProperties()) yield return (property, entry.Property(property));
        foreach (var complex in entry.Metadata.ComplexType.GetComplexProperties())
            foreach (var nested in Properties(entry.ComplexProperty(complex)))
                yield return nested;
    }
}
