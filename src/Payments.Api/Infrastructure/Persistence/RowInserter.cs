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
internal static partial class RowInserter
{
    private static readonly ConcurrentDictionary<(IModel, Type), Plan> Plans = new();

    public static bool Supports(PaymentsDbContext db) => db.Store == StoreKind.Sqlite;

    /// <summary>Inserts <paramref name="aggregate"/> and everything in its collection navigations, in the context's current transaction.</summary>
    public static Task InsertAsync(PaymentsDbContext db, object aggregate, CancellationToken ct) =>
        InsertAsync(db, aggregate, db.Database.GetDbConnection(), TransactionOf(db), db.InsertedRows, ct);

    /// <summary>The context's current transaction, which every plain insert needs.</summary>
    public static DbTransaction TransactionOf(PaymentsDbContext db) => db.Database.CurrentTransaction?.GetDbTransaction()
        ?? throw new InvalidOperationException("Rows are inserted inside the command's transaction.");

    /// <summary>
    /// Inserts <paramref name="aggregate"/> and everything in its collection navigations on <paramref name="connection"/>,
    /// in <paramref name="transaction"/>; the keys of the rows written are noted in <paramref name="written"/>, when given.
    /// </summary>
    public static async Task InsertAsync(PaymentsDbContext db, object aggregate, DbConnection connection, DbTransaction transaction,
        List<(Plan, object?[])>? written, CancellationToken ct)
    {
        var plan = PlanFor(db.Model, aggregate.GetType());
        try
        {
            await WriteAsync(plan, aggregate, null, connection, transaction, written, ct);
        }
        catch (DbException ex)
        {
            // The pipeline reads a unique violation as a lost race, exactly as when EF's save hits one.
            throw new DbUpdateException($"Inserting a {aggregate.GetType().Name} failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Whether every row of <paramref name="aggregates"/> can be taken back by <see cref="Undo"/>: written through SQLite's
    /// own API, with a key the domain sets (a store-generated one would leave SQLite's sequence moved on).
    /// </summary>
    public static bool CanUndo(IModel model, IEnumerable<object> aggregates)
    {
        try { return aggregates.All(a => PlanFor(model, a.GetType()).Undoable); }
        catch (NotSupportedException) { return false; } // refused again by the save itself, in the turn, where it always was
    }

    /// <summary>
    /// Deletes again, last first, the rows this context's inserts wrote in the current transaction: what rolling back to a
    /// savepoint set before them would leave, for a save that was only these inserts (ADR-0032). Each delete must find its
    /// row; if one does not, or the transaction is gone, this throws and the caller must not commit the transaction.
    /// </summary>
    public static void Undo(PaymentsDbContext db, Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        // Were the transaction gone (SQLite rolls it back by itself on some errors), the group must fail even if this
        // command wrote nothing yet: the rows before it in the group are gone with it.
        if (connection.Handle is not { } handle || SQLitePCL.raw.sqlite3_get_autocommit(handle) != 0)
            throw new InvalidOperationException("The group's transaction is gone: its writes cannot be kept.");
        var rows = db.InsertedRows;
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            var (plan, key) = rows[i];
            SqliteNative.Execute(connection, plan.DeleteSql!, key, plan.KeyKinds!, returns: false);
        }
        rows.Clear();
    }

    private static async Task WriteAsync(Plan plan, object entity, object?[]? parentKey, DbConnection connection, DbTransaction transaction,
        List<(Plan, object?[])>? written, CancellationToken ct)
    {
        foreach (var reference in plan.References)
            if (reference.GetGetter().GetClrValue(entity) is not null)
                throw new NotSupportedException($"{plan.Type.Name}.{reference.Name} is a reference to another entity: add the aggregate with EF instead.");

        if (plan.RawKinds is { } kinds && connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
            WriteRaw(plan, kinds, entity, parentKey, sqlite, written);
        else
            await WriteCommandAsync(plan, entity, parentKey, connection, transaction, ct);

        foreach (var child in plan.Children)
        {
            if (child.Navigation.GetGetter().GetClrValue(entity) is not IEnumerable items) continue;
            object?[]? key = null;
            foreach (var item in items)
            {
                key ??= child.PrincipalKey.Select(p => p.GetGetter().GetClrValueUsingContainingEntity(entity)).ToArray();
                await WriteAsync(child.Plan, item, key, connection, transaction, written, ct);
            }
        }
    }

    /// <summary>One row through SQLite's own API (<see cref="SqliteNative"/>), values converted as EF converts them.</summary>
    private static void WriteRaw(Plan plan, SqliteNative.Kind[] kinds, object entity, object?[]? parentKey, Microsoft.Data.Sqlite.SqliteConnection connection,
        List<(Plan, object?[])>? written)
    {
        var values = new object?[plan.Columns.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var column = plan.Columns[i];
            var value = column.ParentKeyIndex >= 0 ? parentKey![column.ParentKeyIndex] : column.Getter!.GetClrValueUsingContainingEntity(entity);
            values[i] = value is null ? null : column.Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }
        var returned = SqliteNative.Execute(connection, plan.Sql, values, kinds, plan.Generated is not null);
        if (plan.Generated is { } generated) generated.Field.SetValue(entity, Convert.ChangeType(returned!.Value, generated.Field.FieldType));
        if (written is not null && plan.Undoable) written.Add((plan, Array.ConvertAll(plan.KeyColumns!, k => values[k])));
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
                generated.Field.SetValue(entity, Convert.ChangeType(await command.ExecuteScalarAsync(ct), generated.Field.FieldType));
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
                && !IsStoreGeneratedKey(property) && !IsSetByDomain(property))
                throw new NotSupportedException($"{type.Name}.{property.Name} is generated on add in a way a plain insert does not reproduce; add it with EF.");
            if (property.ValueGenerated.HasFlag(ValueGenerated.OnAdd) && IsStoreGeneratedKey(property))
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

        // The row's key, to delete it again by (Undo): only when every key column is one of ours, bound through SQLite's API.
        var keyColumns = entityType.FindPrimaryKey()?.Properties.Select(k => columns.FindIndex(c => c.Name == k.ColumnIn(table).Column.Name)).ToArray();
        string? deleteSql = null;
        if (generated is null && keyColumns is { Length: > 0 } && keyColumns.All(k => k >= 0))
            deleteSql = new StringBuilder("DELETE FROM ").Append(PreparedCommands.Quote(table.Name)).Append(" WHERE ")
                .AppendJoin(" AND ", keyColumns.Select((k, i) => PreparedCommands.Quote(columns[k].Name) + " = " + PreparedCommands.Parameter(i))).ToString();

        var children = entityType.GetNavigations().Where(n => n.IsCollection && !n.IsOnDependent)
            .Select(n => new Child(n, n.ForeignKey.PrincipalKey.Properties.ToArray(), Build(model, n.TargetEntityType.ClrType, n)))
            .ToArray();
        var references = entityType.GetNavigations().Where(n => !n.IsCollection).ToArray();
        var kinds = columns.Select(c => SqliteNative.KindOf(c.Mapping)).ToArray();
        var rawKinds = kinds.All(k => k is not null) ? kinds.Select(k => k!.Value).ToArray() : null;
        return new Plan(type, sql.ToString(), columns.ToArray(), generated, children, references, rawKinds,
            deleteSql is not null && rawKinds is not null ? deleteSql : null, keyColumns);
    }

    /// <summary>Keys the domain assigns itself (typed ids, Guid v7) are marked generated by convention but always set.</summary>
    private static bool IsStoreGeneratedKey(IProperty property) => property.IsPrimaryKey() && (property.ClrType == typeof(long) || property.ClrType == typeof(int));

    private static bool IsSetByDomain(IProperty property) => property.IsPrimaryKey() && property.ClrType != typeof(long) && property.ClrType != typeof(int);

    internal sealed record Column(string Name, string Parameter, IClrPropertyGetter? Getter, RelationalTypeMapping Mapping, bool Nullable,
        int ParentKeyIndex);

    internal sealed record Generated(System.Reflection.FieldInfo Field, string Column);

    internal sealed record Child(INavigation Navigation, IProperty[] PrincipalKey, Plan Plan);

    internal sealed class Plan(Type type, string sql, Column[] columns, Generated? generated, Child[] children, INavigation[] references,
        SqliteNative.Kind[]? rawKinds, string? deleteSql, int[]? keyColumns)
    {
        /// <summary>The DELETE that takes one of its rows back by key, when <see cref="Undoable"/>.</summary>
        public string? DeleteSql { get; } = deleteSql;
        public int[]? KeyColumns { get; } = keyColumns;
        public SqliteNative.Kind[]? KeyKinds { get; } = deleteSql is null ? null : Array.ConvertAll(keyColumns!, k => rawKinds![k]);

        /// <summary>Whether its rows, and its children's, can be deleted again by <see cref="Undo"/>.</summary>
        public bool Undoable { get; } = deleteSql is not null && children.All(c => c.Plan.Undoable);

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
