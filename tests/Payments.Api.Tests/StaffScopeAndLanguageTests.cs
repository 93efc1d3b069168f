using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Payments.Api.Pages.Shared;

using static Payments.Api.Tests.StaffPages;

namespace Payments.Api.Tests;

/// <summary>The English switch, province-wide and agency staff, agencies and receipt series pages, scoped audit.</summary>
public partial class StaffPagesTests
{
    private const string Other = "000.00.99.H99";

    private static HttpClient BrowserOf(ApiFactory api) => api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<string> PageAsync(HttpClient browser, string path) => await (await browser.GetAsync(path)).Content.ReadAsStringAsync();

    [Fact]
    public async Task Staff_pages_switch_to_english_and_remember_it()
    {
        var finance = Browser();
        await SignInAsync(finance, Finance, ApiFactory.StaffPassword);
        var vi = await PageAsync(finance, "/staff/finance");
        Assert.Contains("Sổ biên lai", vi);
        Assert.Contains("<html lang=\"vi\">", vi);

        var en = await PageAsync(finance, "/staff/finance?lang=en");
        Assert.Contains("Receipt ledger", en);
        Assert.Contains("<html lang=\"en\">", en);
        Assert.DoesNotContain("Sổ biên lai", en);
        Assert.Contains("Receipt ledger", await PageAsync(finance, "/staff/audit").ContinueWith(_ => PageAsync(finance, "/staff/finance")).Unwrap());
        Assert.Contains("Audit trail", await PageAsync(finance, "/staff/audit"));
        Assert.Contains("Sổ biên lai", await PageAsync(finance, "/staff/finance?lang=vi"));
        Assert.Contains("Sổ biên lai", await PageAsync(finance, "/staff/finance"));
    }

    [Fact]
    public void Every_string_the_staff_pages_show_has_an_english_entry()
    {
        var pages = Path.Combine(ApiFactory.RepoRoot(), "src", "Payments.Api", "Pages");
        var keys = Directory.EnumerateFiles(pages, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cshtml") || f.EndsWith(".cs")) && !f.EndsWith("StaffText.cs"))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "L\\[\"((?:[^\"\\\\]|\\\\.)*)\"").Select(m => m.Groups[1].Value))
            .Distinct().ToList();
        Assert.True(keys.Count > 100, $"only {keys.Count} strings found: is the scan looking in the right place?");
        // Names passed through L[…] from code rather than written as literals.
        keys.AddRange(new[] { "Valid", "Cancelled", "Replaced" }.Select(ReceiptStatusNames.Of));
        keys.AddRange(Enum.GetValues<Domain.Orders.OrderStatus>().Select(s => Pages.Staff.Cashier.StatusNames.ToSnakeCaseVi(s)));
        keys.AddRange(Enum.GetValues<Domain.Reconciliation.ReconciliationKind>().Select(ReconciliationNames.Kind));
        var missing = keys.Where(k => !StaffText.Words.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "No English for: " + string.Join(" | ", missing));
    }

    [Fact]
    public async Task Province_wide_finance_filters_the_ledger_by_agency_and_fee_while_agency_finance_sees_only_its_own()
    {
        using var api = new ApiFactory();
        api.AddOtherAgencyClient();
        api.AddStaff("so.taichinh@demo.gov.vn", "finance", "");
        api.AddStaff("admin.tinh@demo.gov.vn", "admin", "");

        // A province-wide admin gives the new agency a receipt series from the series page.
        var provinceAdmin = BrowserOf(api);
        await SignInAsync(provinceAdmin, "admin.tinh@demo.gov.vn", ApiFactory.StaffPassword);
        Assert.Contains(Other, await PageAsync(provinceAdmin, "/staff/admin/series"));
        var registered = await PostFormAsync(provinceAdmin, $"/staff/admin/series?agency={Other}", "Register",
            KeyValuePair.Create("agency", Other), KeyValuePair.Create("TemplateSymbol", "01BLP0-009"), KeyValuePair.Create("SeriesLetters", "hx"),
            KeyValuePair.Create("NumberWidth", "8"));
        Assert.Contains("Đã đăng ký chuỗi 01BLP0-009", registered);
        Assert.Equal(Other, api.Db(db => db.ReceiptSeries.Single(s => s.TemplateSymbol == "01BLP0-009").AgencyCode));

        var theirs = await api.Portal(ApiFactory.OtherAgencyKey).PayAsync(Wire.OrderBody(dossier: "THEIRS-1", fee: "OTHER-FEE", agency: Other));
        await api.Portal().PayAsync("OURS-1");
        var theirReceipt = (await api.Portal(ApiFactory.OtherAgencyKey).GetOrderAsync(theirs)).GetProperty("receipt").GetProperty("id").GetString();
        var theirView = await (await api.Portal(ApiFactory.OtherAgencyKey).GetAsync($"/api/v1/receipts/{theirReceipt}")).Json();
        Assert.Equal(("HX26", "00000001"), (theirView.GetProperty("series").GetString(), theirView.GetProperty("displayNumber").GetString()));

        var province = BrowserOf(api);
        await SignInAsync(province, "so.taichinh@demo.gov.vn", ApiFactory.StaffPassword);
        var all = await PageAsync(province, "/staff/finance");
        Assert.Contains("THEIRS-1", all);
        Assert.Contains("OURS-1", all);
        var onlyTheirs = await PageAsync(province, $"/staff/finance?Agency={Other}");
        Assert.Contains("THEIRS-1", onlyTheirs);
        Assert.DoesNotContain("OURS-1", onlyTheirs);
        var byFee = await PageAsync(province, "/staff/finance?Fee=GPLX-CAP");
        Assert.Contains("OURS-1", byFee);
        Assert.DoesNotContain("THEIRS-1", byFee);
        Assert.Equal(HttpStatusCode.OK, (await province.GetAsync($"/staff/finance/receipts/{theirReceipt}")).StatusCode);

        var agencyFinance = BrowserOf(api);
        await SignInAsync(agencyFinance, Finance, ApiFactory.StaffPassword);
        Assert.DoesNotContain("THEIRS-1", await PageAsync(agencyFinance, "/staff/finance"));
        Assert.DoesNotContain("THEIRS-1", await PageAsync(agencyFinance, $"/staff/finance?Agency={Other}"));
        Assert.Equal(HttpStatusCode.NotFound, (await agencyFinance.GetAsync($"/staff/finance/receipts/{theirReceipt}")).StatusCode);

        // The audit trail is scoped the same way: the series registration belongs to the other agency.
        Assert.DoesNotContain("01BLP0-009", await PageAsync(agencyFinance, "/staff/audit"));
        Assert.Contains("01BLP0-009", await PageAsync(province, "/staff/audit"));
        Assert.Equal(Other, api.Db(db => db.Audit.Single(a => a.Action == "receipt-series.register" && a.EntityId.StartsWith("01BLP0-009")).AgencyCode));
    }

    [Fact]
    public async Task Admins_correct_their_agency_and_only_province_wide_admins_add_agencies()
    {
        using var api = new ApiFactory();
        var admin = BrowserOf(api);
        await SignInAsync(admin, Admin, ApiFactory.StaffPassword);
        var page = await PageAsync(admin, "/staff/admin/agencies");
        var form = Regex.Match(page, "<form id=\"agency-[^\"]+\" method=\"post\" action=\"([^\"]+)\">(.*?)</form>", RegexOptions.Singleline);
        async Task<string> SaveAsync(string taxCode) => await (await admin.PostAsync(WebUtility.HtmlDecode(form.Groups[1].Value), new FormUrlEncodedContent(
        [
            new("Code", ApiFactory.Agency), new("Name", "Trung tâm Phục vụ hành chính công tỉnh Mẫu"), new("TaxCode", taxCode), new("Address", "02 Đường Mới"),
            new("__RequestVerificationToken", Antiforgery().Match(form.Groups[2].Value).Groups[1].Value),
        ]))).Content.ReadAsStringAsync();

        var before = api.Db(db => db.Agencies.Single(a => a.Code == ApiFactory.Agency).TaxCode);
        Assert.Contains("Mã số thuế: 10 chữ số", await SaveAsync("12345"));
        Assert.Equal(before, api.Db(db => db.Agencies.Single(a => a.Code == ApiFactory.Agency).TaxCode));
        Assert.Contains("Đã lưu", await SaveAsync("0109999999-001"));
        var agency = api.Db(db => db.Agencies.Single(a => a.Code == ApiFactory.Agency));
        Assert.Equal(("0109999999-001", "02 Đường Mới"), (agency.TaxCode, agency.Address));
        var audit = api.Db(db => db.Audit.Single(a => a.Action == "agency.revise"));
        Assert.Equal(ApiFactory.Agency, audit.AgencyCode);
        Assert.Contains(before, audit.BeforeJson);

        // A receipt issued afterwards carries the corrected organisation; the agency admin cannot add agencies.
        await api.Portal().PayAsync("AFTER-RENAME");
        Assert.Contains("0109999999-001", api.Db(db => db.Receipts.Single(r => r.DossierCode == "AFTER-RENAME").ContentJson));
        Assert.DoesNotContain("Thêm đơn vị", page);

        api.AddStaff("admin.tinh@demo.gov.vn", "admin", "");
        var province = BrowserOf(api);
        await SignInAsync(province, "admin.tinh@demo.gov.vn", ApiFactory.StaffPassword);
        var added = await PostFormAsync(province, "/staff/admin/agencies", "Create", KeyValuePair.Create("Code", "000.00.33.H40"),
            KeyValuePair.Create("Name", "UBND xã Mẫu"), KeyValuePair.Create("TaxCode", "0108888888"), KeyValuePair.Create("Address", ""));
        Assert.Contains("Đã thêm 000.00.33.H40", added);
        Assert.Contains("Chưa có — đăng ký", added); // no receipt series yet, and the page says so
        Assert.Contains("Đã có đơn vị", await PostFormAsync(province, "/staff/admin/agencies", "Create", KeyValuePair.Create("Code", "000.00.33.H40"),
            KeyValuePair.Create("Name", "Lặp"), KeyValuePair.Create("TaxCode", "0108888888")));
        Assert.Equal(1, api.Db(db => db.Agencies.Count(a => a.Code == "000.00.33.H40")));
    }
}
