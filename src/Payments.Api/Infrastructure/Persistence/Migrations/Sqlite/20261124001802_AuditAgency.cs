using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Api.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditAgency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AgencyCode",
                table: "Audit",
                type: "TEXT",
                maxLength: 50,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Audit_AgencyCode_At",
                table: "Audit",
                columns: new[] { "AgencyCode", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Audit_AgencyCode_At",
                table: "Audit");

            migrationBuilder.DropColumn(
                name: "AgencyCode",
                table: "Audit");
        }
    }
}
