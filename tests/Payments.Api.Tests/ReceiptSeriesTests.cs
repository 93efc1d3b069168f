using System.Net;
using System.Net.Http.Json;

namespace Payments.Api.Tests;

public class ReceiptSeriesTests
{
    [Fact]
    public async Task A_new_series_takes_over_from_1_with_its_own_width()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        await portal.PayAsync("SER-1");
        var res = await portal.PostAsJsonAsync("/api/v1/receipt-series", new { templateSymbol = "1-01", seriesLetters = "TP", numberWidth = 8 });
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var id = await portal.PayAsync("SER-2");
        var receipt = await (await portal.GetAsync($"/api/v1/receipts/{(await portal.GetOrderAsync(id)).GetProperty("receipt").GetProperty("id")}")).Json();
        Assert.Equal(("1-01", 1, "00000001"), (receipt.GetProperty("templateSymbol").GetString(), receipt.GetProperty("number").GetInt32(), receipt.GetProperty("displayNumber").GetString()));
        Assert.StartsWith("TP", receipt.GetProperty("series").GetString());

        var list = await (await portal.GetAsync("/api/v1/receipt-series")).Json();
        Assert.Equal(1, list.GetProperty("items").EnumerateArray().Count(s => s.GetProperty("active").GetBoolean()));
        Assert.Equal(HttpStatusCode.Conflict, (await portal.PostAsJsonAsync("/api/v1/receipt-series", new { templateSymbol = "1-01", seriesLetters = "TP" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await portal.PostAsJsonAsync("/api/v1/receipt-series", new { templateSymbol = "1-02", seriesLetters = "tp1", numberWidth = 9 })).StatusCode);
        Assert.Single(api.Db(db => db.Audit.Where(a => a.Action == "receipt-series.register").ToList()));
    }

    [Fact]
    public async Task The_daily_summary_counts_numbers_corrections_and_valid_totals_per_series()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var orders = new List<string>();
        for (var i = 0; i < 4; i++) orders.Add(await portal.PayAsync($"SUM-{i}"));
        var rid = (await portal.GetOrderAsync(orders[0])).GetProperty("receipt").GetProperty("id").GetString();
        await portal.PostAsJsonAsync($"/api/v1/receipts/{rid}/cancel", new { reason = "test" });
        var today = api.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd");

        var summary = await (await portal.GetAsync($"/api/v1/receipts/daily-summary?date={today}")).Json();
        var row = summary.GetProperty("items").EnumerateArray().Single();
        Assert.Equal((4, 1, 4, 1, 0, 3 * 135_000L), (row.GetProperty("issued").GetInt32(), row.GetProperty("firstNumber").GetInt32(),
            row.GetProperty("lastNumber").GetInt32(), row.GetProperty("cancelled").GetInt32(), row.GetProperty("replaced").GetInt32(),
            row.GetProperty("validTotal").GetInt64()));

        var csv = await (await portal.GetAsync($"/api/v1/receipts/daily-summary?date={today}&format=csv")).Content.ReadAsStringAsync();
        Assert.Contains("Mẫu số,Ký hiệu", csv);
        Assert.Contains($"{today},01BLP0-001,", csv);
        Assert.Equal(HttpStatusCode.BadRequest, (await portal.GetAsync("/api/v1/receipts/daily-summary?date=23/11/2026")).StatusCode);
        var yesterday = api.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).AddDays(-1).ToString("yyyy-MM-dd");
        Assert.Empty((await (await portal.GetAsync($"/api/v1/receipts/daily-summary?date={yesterday}")).Json()).GetProperty("items").EnumerateArray());
    }
}
