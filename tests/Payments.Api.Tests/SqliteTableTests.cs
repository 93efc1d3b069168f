using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Tests;

/// <summary>
/// Order lines are keyed by (order, line number) and, on SQLite, stored WITHOUT ROWID (ADR-0026): an order's insert then
/// writes one b-tree for its lines instead of a table, an index and the AUTOINCREMENT counter. These tests use their own
/// SQLite files, whichever store the suite runs on.
/// </summary>
public sealed class SqliteTableTests : IDisposable
{
    private const string BeforeLineKey = "20261124014218_DataProtectionKeys";
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"payments-tables-{Guid.NewGuid():N}.db");

    private SqlitePaymentsDbContext Context(bool withPaymentsTables = true)
    {
        var options = new DbContextOptionsBuilder<SqlitePaymentsDbContext>().UseSqlite($"Data Source={_path};Pooling=False");
        return new SqlitePaymentsDbContext((withPaymentsTables ? options.WithPaymentsTables() : options).Options);
    }

    [Fact]
    public async Task Upgrading_a_store_keeps_every_order_line_and_stores_them_without_rowid()
    {
        await using (var db = Context())
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeLineKey);
            var conn = (SqliteConnection)db.Database.GetDbConnection();
            await conn.OpenAsync();
            await Exec(conn, "PRAGMA foreign_keys = OFF");
            foreach (var (order, lines) in new[] { ("01A20D1D-B01B-773C-AD00-D3FD57FB81D3", 2), ("01A20D1D-B01B-7A49-8263-52EC02519F5E", 1) })
            {
                await Exec(conn, """
                    INSERT INTO "PaymentOrders" ("Id", "ClientId", "AgencyCode", "DossierCode", "ProcedureCode", "Channel", "Status", "PayToken",
                      "CreatedAt", "ExpiresAt", "RequiresRefundReview", "Version", "AmountCurrency", "Amount", "PayerName", "PayerIdNumber",
                      "RefundedCurrency", "Refunded")
                    VALUES ($id, '6F9619FF-8B86-D011-B42D-00C04FC964FF', '000.00.12.H29', 'D-' || $id, '1.000105', 'Online', 'Created', 'tok-' || $id,
                      0, 0, 0, 0, 'VND', 100000, 'Nguyễn Văn An', '001088012345', 'VND', 0)
                    """, ("$id", order));
                for (var n = 1; n <= lines; n++)
                    await Exec(conn, """
                        INSERT INTO "OrderLines" ("LineNo", "FeeCode", "Name", "Kind", "LegalBasis", "AgencyCode", "Quantity", "OrderId",
                          "AmountCurrency", "Amount", "DiscountCurrency", "Discount", "GrossCurrency", "Gross", "UnitCurrency", "Unit")
                        VALUES ($n, 'FEE-' || $n, 'Lệ phí ' || $n, 'LePhi', 'TT 37/2023', '000.00.12.H29', 1, $id, 'VND', 50000 * $n, 'VND', 0,
                          'VND', 50000 * $n, 'VND', 50000 * $n)
                        """, ("$id", order), ("$n", n));
            }
            await db.Database.MigrateAsync();
        }

        await using (var db = Context())
        {
            var orders = await db.Orders.AsNoTracking().Include(o => o.Lines).OrderBy(o => o.DossierCode).ToListAsync();
            Assert.Equal([2, 1], orders.Select(o => o.Lines.Count));
            var first = orders[0].Lines.OrderBy(l => l.LineNo).ToList();
            Assert.Equal(["FEE-1", "FEE-2"], first.Select(l => l.FeeCode));
            Assert.Equal([50000L, 100000L], first.Select(l => l.Amount.Minor));
            Assert.Equal("Lệ phí 2", first[1].Name);

            var conn = db.Database.GetDbConnection();
            await conn.OpenAsync();
            Assert.EndsWith("WITHOUT ROWID", await Scalar(conn, "SELECT sql FROM sqlite_master WHERE name = 'OrderLines'"));
            // The key orders an order's lines together: no separate index on the order, no AUTOINCREMENT counter row.
            Assert.Equal("0", await Scalar(conn, "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'OrderLines' AND type = 'index' AND sql IS NOT NULL"));
            Assert.Equal("0", await Scalar(conn, "SELECT count(*) FROM sqlite_sequence WHERE name = 'OrderLines'"));
            Assert.Equal("ok", await Scalar(conn, "PRAGMA integrity_check"));
            Assert.Equal("", await Scalar(conn, "SELECT group_concat(\"table\") FROM pragma_foreign_key_check"));
        }
    }

    [Fact]
    public async Task A_second_line_with_the_same_number_is_refused()
    {
        await using var db = Context();
        await db.Database.MigrateAsync();
        var conn = (SqliteConnection)db.Database.GetDbConnection();
        await conn.OpenAsync();
        await Exec(conn, "PRAGMA foreign_keys = OFF");
        const string line = """
            INSERT INTO "OrderLines" ("OrderId", "LineNo", "FeeCode", "Name", "Kind", "LegalBasis", "AgencyCode", "Quantity",
              "AmountCurrency", "Amount", "DiscountCurrency", "Discount", "GrossCurrency", "Gross", "UnitCurrency", "Unit")
            VALUES ('01A20D1D-B01B-773C-AD00-D3FD57FB81D3', 1, 'F', 'N', 'Fee', 'L', 'A', 1, 'VND', 1, 'VND', 0, 'VND', 1, 'VND', 1)
            """;
        await Exec(conn, line);
        var refused = await Assert.ThrowsAsync<SqliteException>(() => Exec(conn, line));
        Assert.Equal(19, refused.SqliteErrorCode); // SQLITE_CONSTRAINT: the (order, line number) key
    }

    /// <summary>
    /// SQLite alters most columns by copying the table; EF writes that copy's CREATE TABLE itself. The option is taken from
    /// the model, so a future migration that rebuilds the lines keeps it (EF's own generator drops it: the mutation check).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_table_rebuild_EF_generates_later_keeps_without_rowid(bool withPaymentsTables)
    {
        using var db = Context(withPaymentsTables);
        var model = db.GetService<IDesignTimeModel>().Model;
        var rebuild = new AlterColumnOperation
        {
            Table = "OrderLines", Name = "LegalBasis", ClrType = typeof(string), ColumnType = "TEXT", IsNullable = true,
            OldColumn = new AddColumnOperation { Table = "OrderLines", Name = "LegalBasis", ClrType = typeof(string), ColumnType = "TEXT", IsNullable = false },
        };
        var sql = string.Concat(db.GetService<IMigrationsSqlGenerator>().Generate([rebuild], model).Select(c => c.CommandText));
        Assert.Contains("CREATE TABLE \"ef_temp_OrderLines\"", sql);
        Assert.Equal(withPaymentsTables, sql.Contains(") WITHOUT ROWID;", StringComparison.Ordinal));
        Assert.DoesNotContain("PaymentOrders\" (", sql.Split("ef_temp_OrderLines")[0]); // only the lines are rebuilt
    }

    private static async Task Exec(SqliteConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> Scalar(System.Data.Common.DbConnection conn, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(await cmd.ExecuteScalarAsync()) ?? "";
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_path + suffix);
    }
}
