using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Payments.Api.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DailyClose : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DailyCloses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgencyCode = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Desk = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LinesJson = table.Column<string>(type: "TEXT", nullable: false),
                    PaymentsJson = table.Column<string>(type: "TEXT", nullable: false),
                    Explanation = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    ClosedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyCloses", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DailyCloses_AgencyCode_Desk_Day",
                table: "DailyCloses",
                columns: new[] { "AgencyCode", "Desk", "Day" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DailyCloses");
        }
    }
}
