using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Api.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Reconciliation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Held",
                table: "ReconciliationItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<Guid>(
                name: "LinkedOrderId",
                table: "ReconciliationItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Resolution",
                table: "ReconciliationItems",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResolutionReason",
                table: "ReconciliationItems",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ResolvedAt",
                table: "ReconciliationItems",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResolvedBy",
                table: "ReconciliationItems",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Shortfall",
                table: "ReconciliationItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<Guid>(
                name: "StatementImportId",
                table: "ReconciliationItems",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WriteOffRequestedBy",
                table: "ReconciliationItems",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            // Items held before this migration came from the bank's notification: all of their amount sits in suspense.
            migrationBuilder.Sql("UPDATE \"ReconciliationItems\" SET \"Held\" = \"Amount\";");

            migrationBuilder.CreateTable(
                name: "StatementImports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Format = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    AgencyCode = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    ImportedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PeriodFrom = table.Column<long>(type: "INTEGER", nullable: false),
                    PeriodTo = table.Column<long>(type: "INTEGER", nullable: false),
                    Lines = table.Column<int>(type: "INTEGER", nullable: false),
                    Matched = table.Column<int>(type: "INTEGER", nullable: false),
                    AmountMismatch = table.Column<int>(type: "INTEGER", nullable: false),
                    UnknownCredit = table.Column<int>(type: "INTEGER", nullable: false),
                    MissingCredit = table.Column<int>(type: "INTEGER", nullable: false),
                    Duplicate = table.Column<int>(type: "INTEGER", nullable: false),
                    AlreadyImported = table.Column<int>(type: "INTEGER", nullable: false),
                    Ignored = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StatementImports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "StatementLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ImportId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Account = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    BankTxnId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    BookedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Content = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    AttemptId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StatementLines", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationItems_StatementImportId",
                table: "ReconciliationItems",
                column: "StatementImportId");

            migrationBuilder.CreateIndex(
                name: "IX_StatementImports_ImportedAt",
                table: "StatementImports",
                column: "ImportedAt");

            migrationBuilder.CreateIndex(
                name: "IX_StatementImports_Sha256",
                table: "StatementImports",
                column: "Sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StatementLines_Account_BankTxnId",
                table: "StatementLines",
                columns: new[] { "Account", "BankTxnId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StatementLines_ImportId",
                table: "StatementLines",
                column: "ImportId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StatementImports");

            migrationBuilder.DropTable(
                name: "StatementLines");

            migrationBuilder.DropIndex(
                name: "IX_ReconciliationItems_StatementImportId",
                table: "ReconciliationItems");

            migrationBuilder.DropColumn(
                name: "Held",
                table: "ReconciliationItems");

            migrationBuilder.DropColumn(
                name: "LinkedOrderId",
                table: "ReconciliationItems");

            migrationBuilder.DropColumn(
                name: "Resolution",
                table: "ReconciliationItems");

            migrationBuilder.DropColumn(
                name: "ResolutionReason",
                table: "ReconciliationItems");

            migrationBuilder.DropColumn(
                name: "ResolvedAt",
                table: "ReconciliationItems");

            migrationBuilder.DropColumn(
                name: "ResolvedBy",
                table: "ReconciliationItems");

            migrationBuilder.DropColumn(
                name: "Shortfall",
                table: "ReconciliationItems");

            migrationBuilder.DropColumn(
                name: "StatementImportId",
                table: "ReconciliationItems");

            migrationBuilder.DropColumn(
                name: "WriteOffRequestedBy",
                table: "ReconciliationItems");
        }
    }
}
