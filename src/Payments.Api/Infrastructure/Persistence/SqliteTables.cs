using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Sqlite.Migrations.Internal;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// SQLite table options EF Core has no API for (ADR-0026). An entity type annotated with <see cref="WithoutRowId"/> gets
/// a <c>WITHOUT ROWID</c> table: its rows live in the primary key's b-tree, so an insert writes one b-tree fewer (and no
/// separate index when the key already orders the rows as they are read).
/// </summary>
internal static class SqliteTables
{
    public const string WithoutRowId = "Payments:Sqlite:WithoutRowId";

    /// <summary>Every SQLite context that migrates (the service, the design-time tools, tests) writes its tables this way.</summary>
    public static TBuilder WithPaymentsTables<TBuilder>(this TBuilder options) where TBuilder : DbContextOptionsBuilder
    {
        options.ReplaceService<IMigrationsSqlGenerator, PaymentsSqliteMigrationsSqlGenerator>();
        return options;
    }
}

/// <summary>
/// EF's SQLite migrations SQL, with <c>WITHOUT ROWID</c> appended to the CREATE TABLE of annotated tables. The annotation
/// is read from the migration's target model, so a table rebuild EF generates later (SQLite alters most things by
/// copying the table) keeps the option instead of silently dropping it.
/// </summary>
#pragma warning disable EF1001 // SqliteMigrationsSqlGenerator is public but marked internal-use; its CREATE TABLE is what we extend
internal sealed class PaymentsSqliteMigrationsSqlGenerator(MigrationsSqlGeneratorDependencies dependencies, IRelationalAnnotationProvider annotations)
    : SqliteMigrationsSqlGenerator(dependencies, annotations)
{
    protected override void Generate(CreateTableOperation operation, IModel? model, MigrationCommandListBuilder builder, bool terminate = true)
    {
        if (!IsWithoutRowId(operation, model))
        {
            base.Generate(operation, model, builder, terminate);
            return;
        }
        base.Generate(operation, model, builder, terminate: false);
        builder.Append(" WITHOUT ROWID");
        if (!terminate) return;
        builder.AppendLine(Dependencies.SqlGenerationHelper.StatementTerminator);
        EndStatement(builder);
    }

    private static bool IsWithoutRowId(CreateTableOperation operation, IModel? model)
    {
        // EF's table rebuild creates a temporary table under another name and renames it: match it by its columns' table.
        var name = operation.Name.StartsWith("ef_temp_", StringComparison.Ordinal) ? operation.Name["ef_temp_".Length..] : operation.Name;
        return model?.GetRelationalModel().FindTable(name, operation.Schema) is { } table
               && table.EntityTypeMappings.Any(m => m.TypeBase[SqliteTables.WithoutRowId] is true);
    }
}
#pragma warning restore EF1001
