using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Payments.Domain.Reconciliation;

using static Payments.Api.Tests.StaffPages;

namespace Payments.Api.Tests;

/// <summary>The reconciliation page: cashiers import and resolve, finance approves write-offs; agencies stay apart.</summary>
public partial class StaffPagesTests
{
    private static async Task<string> ImportOnPageAsync(HttpClient browser, string csv, string format = "generic")
    {
        var page = await PageAsync(browser, "/staff/reconciliation");
        var form = Regex.Match(page, "<form id=\"import-form\" method=\"post\" enctype=\"multipart/form-data\" action=\"([^\"]+)\">(.*?)</form>", RegexOptions.Singleline);
        Assert.True(form.Success, "the import form is on the page");
        using var body = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "sao-ke.csv" },
            { new StringContent(format), "format" },
            { new StringContent(Antiforgery().Match(form.Groups[2].Value).Groups[1].Value), "__RequestVerificationToken" },
        };
        return await (await browser.PostAsync(WebUtility.HtmlDecode(form.Groups[1].Value), body)).Content.ReadAsStringAsync();
    }

    private static async Task<string> ResolveOnPageAsync(HttpClient browser, Guid itemId, string action, string reason, string? order = null)
    {
        var page = await PageAsync(browser, "/staff/reconciliation");
        var form = Regex.Match(page, $"<form method=\"post\" action=\"([^\"]+handler=Resolve)\">((?:(?!</form>).)*?value=\"{itemId}\".*?)</form>", RegexOptions.Singleline);
        Assert.True(form.Success, $"a resolve form for {itemId} is on the page");
        var fields = new List<KeyValuePair<string, string>>
        {
            new("ItemId", itemId.ToString()), new("Action", action), new("Reason", reason),
            new("__RequestVerificationToken", Antiforgery().Match(form.Groups[2].Value).Groups[1].Value),
        };
        if (order is not null) fields.Add(new("Order", order));
        return await (await browser.PostAsync(WebUtility.HtmlDecode(form.Groups[1].Value), new FormUrlEncodedContent(fields))).Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_cashier_imports_a_statement_and_links_an_unknown_credit_and_finance_approves_a_write_off()
    {
        using var api = new ApiFactory();
        var order = await api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "PAGE-LINK"));
        var amount = order.GetProperty("amount").GetProperty("value").GetInt64();
        var at = api.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-ddTHH:mm:sszzz");
        var csv = $"bankTxnId,bookedAt,amount,content,account\nPG-1,{at},{amount},NOP PHI NGUYEN VAN AN,{ApiFactory.VietQrAccount}\nPG-2,{at},3000,???,{ApiFactory.VietQrAccount}\n";

        var cashier = BrowserOf(api);
        await SignInAsync(cashier, Cashier, ApiFactory.StaffPassword);
        var imported = await ImportOnPageAsync(cashier, csv);
        Assert.Contains("Đã nhập 2 dòng", imported);
        Assert.Contains("id=\"import-counts\"", imported);
        var items = api.Db(db => db.ReconciliationItems.Where(i => i.StatementImportId != null).OrderBy(i => i.BankTxnId).ToList());
        Assert.Equal(["PG-1", "PG-2"], items.Select(i => i.BankTxnId));

        Assert.Contains("Đã xử lý khoản PG-1", await ResolveOnPageAsync(cashier, items[0].Id, "link", "Gõ thiếu mã thanh toán", "PAGE-LINK"));
        Assert.Equal("paid", (await api.Portal().GetOrderAsync(order.GetProperty("id").GetString()!)).GetProperty("status").GetString());

        Assert.Contains("Đã xử lý khoản PG-2", await ResolveOnPageAsync(cashier, items[1].Id, "write_off", "Không rõ người nộp"));
        var waiting = await PageAsync(cashier, "/staff/reconciliation");
        Assert.Contains("Chờ kế toán duyệt xóa sổ", waiting);
        Assert.DoesNotContain("approve_write_off", waiting); // a cashier cannot approve

        var finance = BrowserOf(api);
        await SignInAsync(finance, Finance, ApiFactory.StaffPassword);
        Assert.Contains("Đã xử lý khoản PG-2", await ResolveOnPageAsync(finance, items[1].Id, "approve_write_off", "Duyệt"));
        Assert.Equal(ReconciliationResolution.WrittenOff, api.Db(db => db.ReconciliationItems.Single(i => i.BankTxnId == "PG-2").Resolution));
        Assert.Equal(4, api.Db(db => db.Audit.Count(a => a.EntityType == "reconciliation-item" || a.Action == "statement.import"))); // import, link, proposal, approval

        // The same file again changes nothing; the other agency's cashier sees none of it.
        Assert.Contains("đã được nhập trước đây", await ImportOnPageAsync(cashier, csv));
        api.AddOtherAgencyClient();
        api.AddStaff("thu.ngan.khac@demo.gov.vn", "cashier", Other);
        var other = BrowserOf(api);
        await SignInAsync(other, "thu.ngan.khac@demo.gov.vn", ApiFactory.StaffPassword);
        Assert.DoesNotContain("sao-ke.csv", await PageAsync(other, "/staff/reconciliation"));
    }
}

public partial class StaffPagesTests
{
    [Fact]
    public async Task Finance_sees_balanced_ledger_reports_and_downloads_them()
    {
        await _api.Portal().PayAsync("REP-PAGE");
        var finance = Browser();
        await SignInAsync(finance, Finance, ApiFactory.StaffPassword);
        var page = await PageAsync(finance, "/staff/finance/reports");
        Assert.Contains("Nợ = Có", page);
        Assert.Contains("GPLX-CAP", page);
        var csv = await finance.GetAsync("/staff/finance/reports?handler=Export&report=receipts&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Contains("REP-PAGE", await csv.Content.ReadAsStringAsync());
        var cashier = Browser();
        await SignInAsync(cashier, Cashier, ApiFactory.StaffPassword);
        Assert.NotEqual(HttpStatusCode.OK, (await cashier.GetAsync("/staff/finance/reports?handler=Export&report=journal&format=csv")).StatusCode);
    }
}
