using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using UglyToad.PdfPig;

using static Payments.Api.Tests.StaffPages;

namespace Payments.Api.Tests;

public partial class StaffPagesTests
{
    private static async Task<string> PayAtDeskAsync(HttpClient browser, string dossier)
    {
        var page = await PageAsync(browser, $"/staff/cashier?q={dossier}");
        var form = Regex.Match(page, "<form method=\"post\" action=\"([^\"]+handler=Pay)\">(.*?)</form>", RegexOptions.Singleline);
        string Hidden(string name) => Regex.Match(form.Groups[2].Value, $"name=\"{name}\" value=\"([^\"]+)\"").Groups[1].Value;
        return await (await browser.PostAsync(WebUtility.HtmlDecode(form.Groups[1].Value), new FormUrlEncodedContent(
        [
            new("OrderId", Hidden("OrderId")), new("IdempotencyKey", Hidden("IdempotencyKey")), new("Q", dossier), new("Method", "cash"), new("Reference", ""),
            new("__RequestVerificationToken", Antiforgery().Match(form.Groups[2].Value).Groups[1].Value),
        ]))).Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_cashier_closes_the_day_explaining_a_shortfall_and_the_desk_is_then_locked()
    {
        using var api = new ApiFactory();
        await api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "CLOSE-1", channel: "counter"));
        await api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "CLOSE-2", channel: "counter"));
        var late = await api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "CLOSE-LATE", channel: "counter"));
        var cashier = BrowserOf(api);
        await SignInAsync(cashier, Cashier, ApiFactory.StaffPassword);
        Assert.Contains("Đã thu 135.000 ₫", await PayAtDeskAsync(cashier, "CLOSE-1"));
        Assert.Contains("Đã thu 135.000 ₫", await PayAtDeskAsync(cashier, "CLOSE-2"));

        // 270.000 recorded in cash, 265.000 counted: refused without an explanation, nothing written.
        var unexplained = await PostFormAsync(cashier, "/staff/cashier", "Close", KeyValuePair.Create("Cash", "265000"), KeyValuePair.Create("Pos", "0"),
            KeyValuePair.Create("WalletQr", "0"), KeyValuePair.Create("Explanation", ""));
        Assert.Contains("explain the difference", unexplained);
        Assert.Equal(0, api.Db(db => db.DailyCloses.Count()));

        var closed = await PostFormAsync(cashier, "/staff/cashier", "Close", KeyValuePair.Create("Cash", "265000"), KeyValuePair.Create("Pos", "0"),
            KeyValuePair.Create("WalletQr", "0"), KeyValuePair.Create("Explanation", "Trả lại tiền thừa nhầm cho người nộp hồ sơ CLOSE-2"));
        Assert.Contains("Đã chốt quỹ ngày", closed);
        var close = api.Db(db => db.DailyCloses.Single());
        Assert.Equal((270_000L, 265_000L), (close.Expected, close.Counted));
        var shortage = api.Db(db => db.Postings.ToList().Where(p => p.Account == Domain.Ledger.Accounts.CashOverShort).Sum(p => p.Debit.Minor - p.Credit.Minor));
        Assert.Equal(5_000, shortage);
        Assert.Contains(api.Db(db => db.Audit.ToList()), a => a.Action == "desk.close" && a.Reason!.Contains("CLOSE-2"));

        // The day is locked: no pay button, and the API refuses this desk's payment.
        var desk = await PageAsync(cashier, "/staff/cashier?q=CLOSE-LATE");
        Assert.DoesNotContain("handler=Pay", desk);
        var req = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payment-orders/{late.GetProperty("id").GetString()}/counter-payments")
        {
            Content = JsonContent.Create(new { method = "cash", cashier = new { id = Cashier, name = "Trần Thị Bình" } }),
        };
        req.Headers.Add("Idempotency-Key", "late-1");
        var refused = await api.Portal().SendAsync(req);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("day_closed", (await refused.Json()).GetProperty("code").GetString());

        // The close report lists the day with its figures.
        var pdf = await cashier.GetAsync($"/staff/cashier?handler=ClosePdf&id={close.Id}");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        using var doc = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        var text = string.Concat(doc.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        foreach (var expected in new[] { "BIÊNBẢNCHỐTQUỸCUỐINGÀY", "CLOSE-1", "CLOSE-2", "270.000", "265.000", "-5.000", "Trảlạitiềnthừa" })
            Assert.Contains(expected, text);
        // Finance sees the close with its difference and gets the same report.
        var finance = BrowserOf(api);
        await SignInAsync(finance, Finance, ApiFactory.StaffPassword);
        Assert.Contains("Trả lại tiền thừa", await PageAsync(finance, "/staff/finance/reports"));
        Assert.Equal("application/pdf", (await finance.GetAsync($"/staff/finance/reports?handler=ClosePdf&id={close.Id}")).Content.Headers.ContentType!.MediaType);

        // Anonymous visitors are sent to sign in; another cashier does not get this desk's report.
        Assert.Equal(HttpStatusCode.Redirect, (await BrowserOf(api).GetAsync($"/staff/cashier?handler=ClosePdf&id={close.Id}")).StatusCode);
        api.AddStaff("thu.ngan.2@demo.gov.vn", "cashier", ApiFactory.Agency);
        var colleague = BrowserOf(api);
        await SignInAsync(colleague, "thu.ngan.2@demo.gov.vn", ApiFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync($"/staff/cashier?handler=ClosePdf&id={close.Id}")).StatusCode);
        Assert.Contains("handler=Pay", await PageAsync(colleague, "/staff/cashier?q=CLOSE-LATE")); // their own desk is still open
    }
}
