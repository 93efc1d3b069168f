using System.Net;
using System.Net.Http.Json;
using System.Text;
using MiniExcelLibs;

namespace Payments.Api.Tests;

/// <summary>Ledger reports and their CSV/XLSX exports, read back as a treasury's spreadsheet would.</summary>
public class ReportTests
{
    private static async Task<ApiFactory> WithPaymentsAsync()
    {
        var api = new ApiFactory();
        await api.Portal().PayAsync("REP-1"); // GPLX-CAP, 135.000 đ lệ phí, through the sandbox wallet
        var body = new
        {
            dossierCode = "REP-2", procedureCode = "1.000105", agencyCode = ApiFactory.Agency, channel = "counter",
            payer = new { fullName = "=HYPERLINK(\"http://evil.example\",\"bấm\")", idNumber = "001088012345", address = "Hà Nội" },
            fees = new[] { new { feeCode = "LLTP", quantity = 1 } },
        };
        var order = await api.Portal().CreateOrderAsync(body);
        var req = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payment-orders/{order.GetProperty("id").GetString()}/counter-payments")
        {
            Content = JsonContent.Create(new { method = "cash", cashier = new { id = "NV001", name = "Trần Thị Bình" } }),
        };
        req.Headers.Add("Idempotency-Key", "rep-2-cash");
        Assert.Equal(HttpStatusCode.Created, (await api.Portal().SendAsync(req)).StatusCode);
        return api;
    }

    private static string Today(ApiFactory api) => api.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd");

    private static async Task<string[][]> CsvAsync(HttpClient client, string url)
    {
        var res = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("text/csv", res.Content.Headers.ContentType!.MediaType);
        var bytes = await res.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]); // BOM: spreadsheets then read Vietnamese as UTF-8
        using var reader = CsvHelper.CsvReader.Create(new MemoryStream(bytes), new CsvHelper.CsvReaderOptions { HasHeader = false });
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        return rows.ToArray();
    }

    [Fact]
    public async Task Revenue_by_fee_and_provider_and_the_trial_balance_come_from_the_postings()
    {
        using var api = await WithPaymentsAsync();
        var day = Today(api);
        var revenue = await CsvAsync(api.Portal(), $"/api/v1/reports/revenue?from={day}&to={day}");
        Assert.Equal(["Ngày", "Đơn vị", "Loại", "Khoản thu", "Kênh thanh toán", "Số tiền (đồng)"], revenue[0]);
        var lltp = api.Db(db => db.Orders.Single(o => o.DossierCode == "REP-2").Amount.Minor);
        Assert.Contains(revenue, r => r[3] == "GPLX-CAP" && r[2] == "Lệ phí" && r[4] == "sandbox" && r[5] == "135000");
        Assert.Contains(revenue, r => r[3] == "LLTP" && r[2] == "Phí" && r[4] == "counter:cash" && r[5] == lltp.ToString());

        var balance = await CsvAsync(api.Portal(), $"/api/v1/reports/trial-balance?from={day}&to={day}");
        var total = balance[^1];
        Assert.Equal("Cộng", total[0]);
        Assert.Equal(total[1], total[2]);
        Assert.Equal((135_000 + lltp).ToString(), total[1]);
    }

    [Fact]
    public async Task The_journal_exports_every_posting_to_xlsx_with_integer_amounts_and_no_cap()
    {
        using var api = await WithPaymentsAsync();
        var day = Today(api);
        var res = await api.Portal().GetAsync($"/api/v1/reports/journal?from={day}&to={day}&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Contains("journal_000.00.12.H29_", res.Content.Headers.ContentDisposition!.FileName);
        var rows = MiniExcel.Query(new MemoryStream(await res.Content.ReadAsByteArrayAsync()), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(api.Db(db => db.Postings.Count()), rows.Count);
        Assert.Equal(rows.Sum(r => Convert.ToInt64(r["Nợ (đồng)"])), rows.Sum(r => Convert.ToInt64(r["Có (đồng)"])));
        Assert.All(rows, r => Assert.IsType<double>(r["Nợ (đồng)"])); // numbers in the sheet, not text
    }

    [Fact]
    public async Task The_receipts_register_escapes_formulas_and_bad_requests_are_refused()
    {
        using var api = await WithPaymentsAsync();
        var day = Today(api);
        var receipts = await CsvAsync(api.Portal(), $"/api/v1/reports/receipts?from={day}&to={day}");
        Assert.Equal(3, receipts.Length);
        Assert.Contains(receipts, r => r[6].StartsWith("'=HYPERLINK"));
        Assert.All(receipts.Skip(1), r => Assert.Equal("Hợp lệ", r[10]));

        Assert.Equal("invalid_format", (await (await api.Portal().GetAsync($"/api/v1/reports/receipts?format=pdf")).Json()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.Portal().GetAsync("/api/v1/reports/everything")).StatusCode);
        Assert.Equal("invalid_range", (await (await api.Portal().GetAsync("/api/v1/reports/journal?from=2026-11-20&to=2026-11-01")).Json()).GetProperty("code").GetString());
        Assert.Equal("invalid_date", (await (await api.Portal().GetAsync("/api/v1/reports/journal?from=20-11-2026")).Json()).GetProperty("code").GetString());
        // A portal key without the finance scope gets no ledger at all.
        api.AddOtherAgencyClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Portal(ApiFactory.OtherAgencyKey).GetAsync($"/api/v1/reports/receipts?from={day}&to={day}")).StatusCode);
    }
}
