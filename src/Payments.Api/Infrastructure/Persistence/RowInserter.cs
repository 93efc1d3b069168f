using System.Collections;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// Writes a new aggregate (an entity and the new entities in its collections) with one plain INSERT per row, built
/// once per entity type from the EF model — the same tables, columns and value conversions EF would use — and kept
/// prepared per connection (on SQLite, stepped through SQLite's own API: ADR-0030). It skips the change tracker and
/// EF's per-save SQL generation, which cost more than the rest of a create-order request together (ADR-0025). SQLite only: it writes in the single writer's turn, where
/// every microsecond is everybody's; on the server stores EF's save sends the whole change set in one round trip, which
/// one statement per row would lose (the SQL itself — quoted identifiers, <c>@name</c> parameters, <c>RETURNING</c> —
/// also runs on PostgreSQL).
/// </summary>
internal static class RowInserter
{
    private static readonly ConcurrentDictionary<(IModel, Type), Plan> Plans = new();

    public static bool Supports(PaymentsDbContext db) => db.Store == StoreKind.Sqlite;

    /// <summary>Inserts <paramref name="aggregate"/> and everything in its collection navigations, in the current transaction.</summary>
    public static async Task InsertAsync(PaymentsDbContext db, object aggregate, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Rows are inserted inside the command's transaction.");
        var plan = PlanFor(db.Model, aggregate.GetType());
        try
        {
            await WriteAsync(plan, aggregate, null, connection, transaction, ct);
        }
        catch (DbException ex)
        {
            // The pipeline reads a unique violation as a lost race, exactly as when EF's save hits one.
            throw new DbUpdateException($"Inserting a {aggregate.GetType().Name} failed: {ex.Message}", ex);
        }
    }

    private static async Task WriteAsync(Plan plan, object entity, object?[]? parentKey, DbConnection connection, DbTransaction transaction,
        CancellationToken ct)
    {
        foreach (var reference in plan.References)
            if (reference.GetGetter().GetClrValue(entity) is not null)
                throw new NotSupportedException($"{plan.Type.Name}.{reference.Name} is a reference to another entity: add the aggregate with EF instead.");

        if (plan.RawKinds is { } kinds && connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
            WriteRaw(plan, kinds, entity, parentKey, sqlite);
        else
            await WriteCommandAsync(plan, entity, parentKey, connection, transaction, ct);

        foreach (var child in plan.Children)
        {
            if (child.Navigation.GetGetter().GetClrValue(entity) is not IEnumerable items) continue;
            object?[]? key = null;
            foreach (var item in items)
            {
                key ??= child.PrincipalKey.Select(p => p.GetGetter().GetClrValueUsingContainingEntity(entity)).ToArray();
                await WriteAsync(child.Plan, item, key, connection, transaction, ct);
            }
        }
    }

    /// <summary>One row through SQLite's own API (<see cref="SqliteNative"/>), values converted as EF converts them.</summary>
    private static void WriteRaw(Plan plan, SqliteNative.Kind[] kinds, object entity, object?[]? parentKey, Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        var values = new object?[plan.Columns.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var column = plan.Columns[i];
            var value = column.ParentKeyIndex >= 0 ? parentKey![column.ParentKeyIndex] : column.Getter!.GetClrValueUsingContainingEntity(entity);
            values[i] = value is null ? null : column.Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }
        var returned = SqliteNative.Execute(connection, plan.Sql, values, kinds, plan.Generated is not null);
        if (plan.Generated is { } generated) generated.Field.SetValue(entity, Convert.ChangeType(returned!.Value, typeof(long)));
    }

    private static async Task WriteCommandAsync(Plan plan, object entity, object?[]? parentKey, DbConnection connection, DbTransaction transaction,
        CancellationToken ct)
    {
        var command = PreparedCommands.Take(connection, transaction, plan.Sql);
        try
        {
            foreach (var column in plan.Columns)
                command.Bind(column.Parameter, column.Mapping,
                    column.ParentKeyIndex >= 0 ? parentKey![column.ParentKeyIndex] : column.Getter!.GetClrValueUsingContainingEntity(entity), column.Nullable);
            if (plan.Generated is { } generated)
                generated.Field.SetValue(entity, Convert.ChangeType(await command.ExecuteScalarAsync(ct), typeof(long)));
            else if (await command.ExecuteNonQueryAsync(ct) != 1)
                throw new InvalidOperationException($"Inserting a {plan.Type.Name} wrote no row.");
        }
        finally { PreparedCommands.Release(command); }
    }

    /// <summary>The INSERT a new <paramref name="type"/> is written with (tests).</summary>
    internal static string SqlFor(IModel model, Type type) => PlanFor(model, type).Sql;

    private static Plan PlanFor(IModel model, Type type) => Plans.GetOrAdd((model, type), static k => Build(k.Item1, k.Item2, null));

    private static Plan Build(IModel model, Type type, INavigation? fromParent)
    {
        var entityType = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not an entity type.");
        if (entityType.GetSkipNavigations().Any())
            throw new NotSupportedException($"{type.Name} has many-to-many navigations, whose join rows a plain insert does not write; add it with EF.");
        var table = entityType.GetTableMappings().Single().Table;
        var columns = new List<Column>();
        Generated? generated = null;
        foreach (var property in entityType.GetFlattenedProperties())
        {
            var mapping = property.ColumnIn(table);
            if (property.ValueGenerated.HasFlag(ValueGenerated.OnAdd) && property.GetValueGeneratorFactory() is null
                && !(property.IsPrimaryKey() && property.ClrType == typeof(long)) && !IsSetByDomain(property))
                throw new NotSupportedException($"{type.Name}.{property.Name} is generated on add in a way a plain insert does not reproduce; add it with EF.");
            if (property.ValueGenerated.HasFlag(ValueGenerated.OnAdd) && property.IsPrimaryKey() && property.ClrType == typeof(long))
            {
                // A store-generated key (identity / rowid): left out, read back with RETURNING and set on the entity.
                generated = new Generated(property.FieldInfo ?? throw new NotSupportedException($"{type.Name}.{property.Name} has no field."),
                    mapping.Column.Name);
                continue;
            }
            // The key to the parent comes from the parent, as EF's fix-up would set it (shadow or not).
            var parentKeyIndex = fromParent?.ForeignKey.Properties.ToList().IndexOf(property) ?? -1;
            if (parentKeyIndex < 0 && property.IsShadowProperty())
                throw new NotSupportedException($"{type.Name}.{property.Name} is a shadow property that is not its parent's key.");
            columns.Add(new Column(mapping.Column.Name, PreparedCommands.Parameter(columns.Count), parentKeyIndex < 0 ? property.GetGetter() : null, mapping.TypeMapping,
                property.IsNullable, parentKeyIndex));
        }

        // Every column of the table must be accounted for: a column the plan missed (a JSON-mapped collection, a column of
        // another type sharing the table) would otherwise be left to its default without a word.
        var covered = columns.Select(c => c.Name).Append(generated?.Column).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (table.Columns.FirstOrDefault(c => !covered.Contains(c.Name)) is { } missed)
            throw new NotSupportedException($"{type.Name}: column {table.Name}.{missed.Name} is not written by a plain insert; add it with EF.");

        var sql = new StringBuilder("INSERT INTO ").Append(PreparedCommands.Quote(table.Name)).Append(" (")
            .AppendJoin(", ", columns.Select(c => PreparedCommands.Quote(c.Name))).Append(") VALUES (")
            .AppendJoin(", ", columns.Select(c => c.Parameter)).Append(')');
        if (generated is not null) sql.Append(" RETURNING ").Append(PreparedCommands.Quote(generated.Column));

        var children = entityType.GetNavigations().Where(n => n.IsCollection && !n.IsOnDependent)
            .Select(n => new Child(n, n.ForeignKey.PrincipalKey.Properties.ToArray(), Build(model, n.TargetEntityType.ClrType, n)))
            .ToArray();
        var references = entityType.GetNavigations().Where(n => !n.IsCollection).ToArray();
        var kinds = columns.Select(c => SqliteNative.KindOf(c.Mapping)).ToArray();
        var rawKinds = kinds.All(k => k is not null) ? kinds.Select(k => k!.Value).ToArray() : null;
        return new Plan(type, sql.ToString(), columns.ToArray(), generated, children, references, rawKinds);
    }

    /// <summary>Keys the domain assigns itself (typed ids, Guid v7) are marked generated by convention but always set.</summary>
    private static bool IsSetByDomain(IProperty property) => property.IsPrimaryKey() && property.ClrType != typeof(long) && property.ClrType != typeof(int);

    private sealed record Column(string Name, string Parameter, IClrPropertyGetter? Getter, RelationalTypeMapping Mapping, bool Nullable,
        int ParentKeyIndex);

    private sealed record Generated(System.Reflection.FieldInfo Field, string Column);

    private sealed record Child(INavigation Navigation, IProperty[] PrincipalKey, Plan Plan);

    private sealed class Plan(Type type, string sql, Column[] columns, Generated? generated, Child[] children, INavigation[] references,
        SqliteNative.Kind[]? rawKinds)
    {
        /// <summary>How each column binds through SQLite's own API, or null to bind through Microsoft.Data.Sqlite.</summary>
        public SqliteNative.Kind[]? RawKinds { get; } = rawKinds;
        public Type Type { get; } = type;
        public string Sql { get; } = sql;
        public Column[] Columns { get; } = columns;
        public Generated? Generated { get; } = generated;
        public Child[] Children { get; } = children;
        public INavigation[] References { get; } = references;
    }
}
