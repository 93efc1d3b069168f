using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Api.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LedgerAgency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AgencyCode",
                table: "LedgerTransactions",
                type: "TEXT",
                maxLength: 50,
                nullable: false,
                defaultValue: "");

            // Entries written before this migration belong to their order's agency (the rest stay with the province's accounts).
            migrationBuilder.Sql("UPDATE \"LedgerTransactions\" SET \"AgencyCode\" = (SELECT \"AgencyCode\" FROM \"PaymentOrders\" WHERE \"PaymentOrders\".\"Id\" = \"LedgerTransactions\".\"OrderId\") WHERE \"OrderId\" IS NOT NULL;");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerTransactions_AgencyCode_CreatedAt",
                table: "LedgerTransactions",
                columns: new[] { "AgencyCode", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LedgerTransactions_AgencyCode_CreatedAt",
                table: "LedgerTransactions");

            migrationBuilder.DropColumn(
                name: "AgencyCode",
                table: "LedgerTransactions");
        }
    }
}
