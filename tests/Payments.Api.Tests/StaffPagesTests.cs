using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

using static Payments.Api.Tests.StaffPages;

namespace Payments.Api.Tests;

/// <summary>Staff sign-in, roles, lockout and the cashier's desk, through the real pages with cookies and antiforgery.</summary>
public partial class StaffPagesTests : IClassFixture<ApiFactory>
{
    private const string Cashier = "thu.ngan@demo.gov.vn", Finance = "ke.toan@demo.gov.vn", Admin = "quan.tri@demo.gov.vn";
    private readonly ApiFactory _api;

    public StaffPagesTests(ApiFactory api) => _api = api;

    private HttpClient Browser() => _api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var res = await Browser().GetAsync("/staff/cashier");
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        Assert.StartsWith("/staff/sign-in", res.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_cashier_signs_in_and_cannot_open_admin_or_finance_pages()
    {
        var browser = Browser();
        var signedIn = await SignInAsync(browser, Cashier, ApiFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("payments.staff"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/staff/cashier")).StatusCode);
        Assert.StartsWith("/staff/denied", (await browser.GetAsync("/staff/admin")).Headers.Location!.PathAndQuery);
        Assert.StartsWith("/staff/denied", (await browser.GetAsync("/staff/finance")).Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused()
    {
        var res = await Browser().PostAsync("/staff/sign-in", new FormUrlEncodedContent([new("Email", Cashier), new("Password", ApiFactory.StaffPassword)]));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account()
    {
        using var api = new ApiFactory();
        var browser = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        for (var i = 0; i < 5; i++)
        {
            var wrong = await browser.PostAsync("/staff/sign-in", new FormUrlEncodedContent(
                [new("Email", Finance), new("Password", "wrong-" + i), new("__RequestVerificationToken", await TokenAsync(browser, "/staff/sign-in"))]));
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }
        var locked = await browser.PostAsync("/staff/sign-in", new FormUrlEncodedContent(
            [new("Email", Finance), new("Password", ApiFactory.StaffPassword), new("__RequestVerificationToken", await TokenAsync(browser, "/staff/sign-in"))]));
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode); // the page again, not the redirect of a success
        Assert.Contains("tạm bị khóa", await locked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_cashier_finds_an_order_and_records_a_cash_payment_with_a_receipt()
    {
        var order = await _api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "DESK-1", channel: "counter"));
        var browser = Browser();
        await SignInAsync(browser, Cashier, ApiFactory.StaffPassword);
        var page = await (await browser.GetAsync("/staff/cashier?q=DESK-1")).Content.ReadAsStringAsync();
        Assert.Contains("DESK-1", page);
        var form = Regex.Match(page, "<form method=\"post\" action=\"([^\"]+)\">(.*?)</form>", RegexOptions.Singleline);
        string Hidden(string name) => Regex.Match(form.Groups[2].Value, $"name=\"{name}\" value=\"([^\"]+)\"").Groups[1].Value;
        var post = new FormUrlEncodedContent(
        [
            new("OrderId", Hidden("OrderId")), new("IdempotencyKey", Hidden("IdempotencyKey")), new("Q", "DESK-1"), new("Method", "cash"),
            new("Reference", ""), new("__RequestVerificationToken", Antiforgery().Match(form.Groups[2].Value).Groups[1].Value),
        ]);
        var done = await (await browser.PostAsync(System.Net.WebUtility.HtmlDecode(form.Groups[1].Value), post)).Content.ReadAsStringAsync();
        Assert.Contains("Đã thu 135.000 ₫ cho hồ sơ DESK-1", done);
        Assert.Contains("Trần Thị Bình", (await (await _api.Portal().GetAsync($"/api/v1/receipts/{(await _api.Portal().GetOrderAsync(order.GetProperty("id").GetString()!)).GetProperty("receipt").GetProperty("id")}")).Json()).GetProperty("collector").GetString());
        Assert.Contains(_api.Db(db => db.Audit.ToList()), a => a.Action == "counter-payment.record" && a.Actor.Contains(Cashier));
        Assert.Contains("135.000 ₫", await (await browser.GetAsync("/staff/cashier")).Content.ReadAsStringAsync()); // today's takings
    }

    [Fact]
    public async Task A_cashier_sees_only_their_own_agencys_orders()
    {
        _api.AddOtherAgencyClient();
        var browser = Browser();
        await SignInAsync(browser, Cashier, ApiFactory.StaffPassword);
        await _api.Portal(ApiFactory.OtherAgencyKey).CreateOrderAsync(Wire.OrderBody(dossier: "NOT-OURS", fee: "OTHER-FEE", agency: "000.00.99.H99"));
        var page = await (await browser.GetAsync("/staff/cashier?q=NOT-OURS")).Content.ReadAsStringAsync();
        Assert.Contains("Không tìm thấy", page);
        await _api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "OURS"));
        Assert.DoesNotContain("Không tìm thấy", await (await browser.GetAsync("/staff/cashier?q=OURS")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Finance_sees_the_receipt_ledger_and_admin_sees_staff()
    {
        await _api.Portal().PayAsync("LEDGER-1");
        var finance = Browser();
        await SignInAsync(finance, Finance, ApiFactory.StaffPassword);
        var ledger = await (await finance.GetAsync("/staff/finance")).Content.ReadAsStringAsync();
        Assert.Contains("LEDGER-1", ledger);
        Assert.Contains("<rect", ledger); // the daily totals chart
        Assert.DoesNotContain("LEDGER-1", await (await finance.GetAsync("/staff/finance?Method=counter:cash")).Content.ReadAsStringAsync());
        Assert.Contains("LEDGER-1", await (await finance.GetAsync("/staff/finance?Method=sandbox")).Content.ReadAsStringAsync());
        var admin = Browser();
        await SignInAsync(admin, Admin, ApiFactory.StaffPassword);
        Assert.Contains(Cashier, await (await admin.GetAsync("/staff/admin")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Finance_replaces_a_receipt_from_its_page_and_the_audit_trail_names_them()
    {
        var order = await _api.Portal().PayAsync("WEB-FIX");
        var receiptId = (await _api.Portal().GetOrderAsync(order)).GetProperty("receipt").GetProperty("id").GetString();
        var finance = Browser();
        await SignInAsync(finance, Finance, ApiFactory.StaffPassword);
        var page = await (await finance.GetAsync($"/staff/finance/receipts/{receiptId}")).Content.ReadAsStringAsync();
        var form = Regex.Match(page, "<form method=\"post\" action=\"([^\"]+handler=Replace)\">(.*?)</form>", RegexOptions.Singleline);
        var res = await finance.PostAsync(System.Net.WebUtility.HtmlDecode(form.Groups[1].Value), new FormUrlEncodedContent(
            [new("Reason", "Sai địa chỉ"), new("PayerAddress", "Hải Phòng"), new("__RequestVerificationToken", Antiforgery().Match(form.Groups[2].Value).Groups[1].Value)]));
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        var replacement = await (await finance.GetAsync(res.Headers.Location)).Content.ReadAsStringAsync();
        Assert.Contains("Hải Phòng", replacement);
        Assert.Contains("thay thế cho", replacement);
        var audit = await (await finance.GetAsync("/staff/audit")).Content.ReadAsStringAsync();
        Assert.Contains("staff:Lê Văn Cường (ke.toan@demo.gov.vn)", audit);
        Assert.Contains("Sai địa chỉ", audit);
        var pdf = await finance.GetAsync(res.Headers.Location + "?handler=Pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);

        var cashier = Browser();
        await SignInAsync(cashier, Cashier, ApiFactory.StaffPassword);
        Assert.StartsWith("/staff/denied", (await cashier.GetAsync("/staff/audit")).Headers.Location!.PathAndQuery);
        Assert.StartsWith("/staff/denied", (await cashier.GetAsync($"/staff/finance/receipts/{receiptId}")).Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task An_admin_creates_an_api_key_shown_once_and_revokes_it()
    {
        var admin = Browser();
        await SignInAsync(admin, Admin, ApiFactory.StaffPassword);
        var page = await (await admin.GetAsync("/staff/admin/api-clients")).Content.ReadAsStringAsync();
        var form = Regex.Match(page, "<form method=\"post\" action=\"([^\"]+handler=Create)\">(.*?)</form>", RegexOptions.Singleline);
        var created = await (await admin.PostAsync(System.Net.WebUtility.HtmlDecode(form.Groups[1].Value), new FormUrlEncodedContent(
            [new("Name", "Cổng DVC tỉnh"), new("__RequestVerificationToken", Antiforgery().Match(form.Groups[2].Value).Groups[1].Value)]))).Content.ReadAsStringAsync();
        var key = Regex.Match(created, "<code id=\"new-key\">([^<]+)</code>").Groups[1].Value;
        Assert.StartsWith("pk_", key);
        Assert.Equal(HttpStatusCode.OK, (await _api.Portal(key).GetAsync("/api/v1/fees")).StatusCode);
        Assert.DoesNotContain(key, await (await admin.GetAsync("/staff/admin/api-clients")).Content.ReadAsStringAsync()); // shown once

        var id = _api.Db(db => db.ApiClients.Single(c => c.Name == "Cổng DVC tỉnh").Id);
        var list = await (await admin.GetAsync("/staff/admin/api-clients")).Content.ReadAsStringAsync();
        var revoke = Regex.Match(list, $"<form method=\"post\" action=\"([^\"]+handler=Revoke)\"><input type=\"hidden\" name=\"Id\" value=\"{id}\">(.*?)</form>", RegexOptions.Singleline);
        await admin.PostAsync(System.Net.WebUtility.HtmlDecode(revoke.Groups[1].Value), new FormUrlEncodedContent(
            [new("Id", id.ToString()), new("__RequestVerificationToken", Antiforgery().Match(revoke.Groups[2].Value).Groups[1].Value)]));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.Portal(key).GetAsync("/api/v1/fees")).StatusCode);
        Assert.Equal(2, _api.Db(db => db.Audit.Count(a => a.EntityType == "api-client" && a.EntityId == id.ToString())));
    }

    [Fact]
    public async Task An_admin_adds_a_cashier_who_can_then_sign_in_and_unlocks_them_after_a_lockout()
    {
        using var api = new ApiFactory();
        var admin = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await SignInAsync(admin, Admin, ApiFactory.StaffPassword);
        var added = await PostFormAsync(admin, "/staff/admin", "Create", KeyValuePair.Create("FullName", "Võ Thị Em"),
            KeyValuePair.Create("Email", "em.vo@demo.gov.vn"), KeyValuePair.Create("Role", "cashier"), KeyValuePair.Create("Password", "New-cashier-2026!"));
        Assert.Contains("Đã thêm em.vo@demo.gov.vn", added);

        var cashier = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(cashier, "em.vo@demo.gov.vn", "New-cashier-2026!")).StatusCode);
        for (var i = 0; i < 5; i++) await SignInAsync(api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), "em.vo@demo.gov.vn", "wrong-" + i);
        Assert.Contains("tạm bị khóa", await (await SignInAsync(api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }),
            "em.vo@demo.gov.vn", "New-cashier-2026!")).Content.ReadAsStringAsync());

        Assert.Contains("Đã mở khóa", await PostFormAsync(admin, "/staff/admin", "Unlock", KeyValuePair.Create("Email", "em.vo@demo.gov.vn")));
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }),
            "em.vo@demo.gov.vn", "New-cashier-2026!")).StatusCode);
        Assert.Equal(2, api.Db(db => db.Audit.Count(a => a.EntityType == "staff" && a.EntityId == "em.vo@demo.gov.vn")));
    }
}
