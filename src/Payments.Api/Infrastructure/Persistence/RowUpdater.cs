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
        if (db.Store != StoreKind.Sqlite) return false;
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
                        var (column, value) = row.Values[i];
                        command.Bind(PreparedCommands.Parameter(i), column.Mapping, value, column.Property.IsNullable);
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

    private sealed record Update(EntityEntry Entry, string Sql, List<(Column Column, object? Value)> Values);

    /// <summary>A mapped property (complex properties' included) with its column, in a fixed order per entity type.</summary>
    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping, bool IsKey, bool IsToken, bool Computed);

    /// <summary>An entity type's columns and its UPDATE statements by shape, worked out once (not on every payment).</summary>
    private sealed class Shape(string table, Column[] columns)
    {
        public string Table { get; } = table;
        public Column[] Columns { get; } = columns;
        public ConcurrentDictionary<(ulong Set, ulong NullTokens), string> Sql { get; } = new();
    }

    private static readonly ConcurrentDictionary<IEntityType, Shape> Shapes = new();

    private static Shape ShapeOf(IEntityType type) => Shapes.GetOrAdd(type, static type =>
    {
        var table = type.GetTableMappings().Single().Table;
        var columns = new List<Column>();
        foreach (var property in Flattened(type))
            columns.Add(new Column(property, property.ColumnIn(table).Column.Name,
                (RelationalTypeMapping)property.GetTypeMapping(), property.IsPrimaryKey(), property.IsConcurrencyToken,
                property.ValueGenerated.HasFlag(ValueGenerated.OnUpdate)));
        return new Shape(table.Name, columns.ToArray());
    });

    private static IEnumerable<IProperty> Flattened(ITypeBase type)
    {
        foreach (var property in type.GetProperties()) yield return property;
        foreach (var complex in type.GetComplexProperties())
            foreach (var nested in Flattened(complex.ComplexType))
                yield return nested;
    }

    /// <summary>The UPDATE for one entry, or null when it has something this does not write (store-computed values).</summary>
    private static Update? Row(EntityEntry entry)
    {
        var shape = ShapeOf(entry.Metadata);
        if (shape.Columns.Length > 64) return null; // wider than the column mask: EF saves it
        var set = new List<(Column Column, object? Value)>();
        var where = new List<(Column Column, object? Value)>();
        ulong setMask = 0, nullTokens = 0;
        var i = 0;
        foreach (var value in Values(entry))
        {
            var column = shape.Columns[i];
            if (column.Computed) return null;
            if (column.IsKey) where.Add((column, value.CurrentValue));
            else
            {
                if (value.IsModified)
                {
                    set.Add((column, value.CurrentValue));
                    setMask |= 1UL << i;
                }
                if (column.IsToken)
                {
                    var original = value.OriginalValue;
                    if (original is null) nullTokens |= 1UL << i;
                    else where.Add((column, original));
                }
            }
            i++;
        }
        if (set.Count == 0) return null;

        var sql = shape.Sql.GetOrAdd((setMask, nullTokens), _ =>
        {
            var p = 0;
            var text = new StringBuilder("UPDATE ").Append(PreparedCommands.Quote(shape.Table)).Append(" SET ")
                .AppendJoin(", ", set.Select(s => $"{PreparedCommands.Quote(s.Column.Name)} = {PreparedCommands.Parameter(p++)}")).Append(" WHERE ")
                .AppendJoin(" AND ", where.Select(w => $"{PreparedCommands.Quote(w.Column.Name)} = {PreparedCommands.Parameter(p++)}"));
            for (var c = 0; c < shape.Columns.Length; c++)
                if ((nullTokens & (1UL << c)) != 0) text.Append(" AND ").Append(PreparedCommands.Quote(shape.Columns[c].Name)).Append(" IS NULL");
            return text.ToString();
        });
        set.AddRange(where);
        return new Update(entry, sql, set);
    }

    /// <summary>The entry's values in <see cref="Flattened"/> order: its own properties, then each complex property's.</summary>
    private static IEnumerable<PropertyEntry> Values(EntityEntry entry)
    {
        foreach (var property in entry.Metadata.GetProperties()) yield return entry.Property(property);
        foreach (var complex in entry.Metadata.GetComplexProperties())
            foreach (var nested in Values(entry.ComplexProperty(complex)))
                yield return nested;
    }

    private static IEnumerable<PropertyEntry> Values(ComplexPropertyEntry entry)
    {
        foreach (var property in entry.Metadata.ComplexType.GetProperties()) yield return entry.Property(property);
        foreach (var complex in entry.Metadata.ComplexType.GetComplexProperties())
            foreach (var nested in Values(entry.ComplexProperty(complex)))
                yield return nested;
    }
}
