using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Payments.Api.Infrastructure.Persistence;
using Payments.Api.Tests;

namespace Payments.Browser.Tests;

public class CitizenAndStaffTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToContainTextOptions Soon = new() { Timeout = 15_000 };

    [Fact]
    public async Task A_citizen_pays_through_the_sandbox_wallet_and_downloads_the_receipt()
    {
        var order = await app.Api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "WEB-1"));
        var page = await app.NewPageAsync(390, 844); // a phone
        await page.GotoAsync(order.GetProperty("paymentUrl").GetString()!);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("135.000 ₫");
        await BrowserFixture.ScreenshotAsync(page, "citizen-pay");
        await page.GetByRole(AriaRole.Button, new() { Name = "Thanh toán qua ví thử nghiệm (sandbox)" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Ví sandbox");
        await BrowserFixture.ScreenshotAsync(page, "sandbox-wallet");
        await page.GetByRole(AriaRole.Button, new() { Name = "Thanh toán thành công" }).ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Đã thanh toán", Soon);
        await BrowserFixture.ScreenshotAsync(page, "citizen-paid");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByText("Tải biên lai (PDF)").ClickAsync());
        Assert.EndsWith(".pdf", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
    }

    [Fact]
    public async Task A_citizen_pays_by_vietqr_and_the_page_turns_paid_after_the_bank_notification()
    {
        var order = await app.Api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "WEB-QR"));
        var page = await app.NewPageAsync(390, 844);
        await page.GotoAsync(order.GetProperty("paymentUrl").GetString()!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Thanh toán qua chuyển khoản VietQR" }).ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Nội dung chuyển khoản");
        // The image loads after the text: wait for it (a broken or missing image still fails, by timeout).
        await page.WaitForFunctionAsync("() => { const img = document.querySelector(\"img[alt='Mã VietQR']\"); return !!img && img.complete && img.naturalWidth > 0; }",
            null, new() { Timeout = 15_000 });
        await BrowserFixture.ScreenshotAsync(page, "citizen-vietqr");
        // The simulated bank, in another tab, "transfers" with the code the page shows.
        var bank = await page.Context.NewPageAsync();
        await bank.GotoAsync((await page.GetByText("Mô phỏng chuyển khoản (sandbox)").GetAttributeAsync("href"))!);
        await bank.GetByRole(AriaRole.Button, new() { Name = "Chuyển khoản" }).ClickAsync();
        await Assertions.Expect(bank.Locator("body")).ToContainTextAsync("HTTP 200");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Đã thanh toán", Soon);
    }

    private async Task<IPage> SignInAsync(string email, string password)
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/staff/sign-in");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Mật khẩu").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        return page;
    }

    [Fact]
    public async Task A_cashier_signs_in_records_a_cash_payment_and_cannot_open_admin()
    {
        await app.Api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "WEB-DESK", channel: "counter"));
        var page = await SignInAsync("thu.ngan@demo.gov.vn", ApiFactory.StaffPassword);
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Thu ngân");
        await page.GetByLabel("Mã hồ sơ hoặc mã thanh toán").FillAsync("WEB-DESK");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tìm" }).ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, "cashier");
        await page.GetByRole(AriaRole.Button, new() { Name = "Đã thu 135.000 ₫" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("Đã thu 135.000 ₫ cho hồ sơ WEB-DESK");
        await page.GotoAsync("/staff/admin");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Không có quyền");
    }

    [Fact]
    public async Task Finance_filters_the_receipt_ledger()
    {
        await app.Api.Portal().PayAsync("WEB-LEDGER");
        var page = await SignInAsync("ke.toan@demo.gov.vn", ApiFactory.StaffPassword);
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Sổ biên lai");
        await page.GetByLabel("Trạng thái").SelectOptionAsync("Valid");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lọc" }).ClickAsync();
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("WEB-LEDGER");
        await BrowserFixture.ScreenshotAsync(page, "finance-ledger");
    }

    [Fact]
    public async Task A_wrong_password_five_times_locks_the_account()
    {
        // Its own account, so that the other tests' sign-ins are not locked out with it.
        using (var scope = app.Api.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = new StaffUser { UserName = "khoa.thu@demo.gov.vn", Email = "khoa.thu@demo.gov.vn", FullName = "Thử Khóa", AgencyCode = ApiFactory.Agency };
            Assert.True((await users.CreateAsync(user, ApiFactory.StaffPassword)).Succeeded);
            await users.AddToRoleAsync(user, "cashier");
        }
        for (var i = 0; i < 5; i++) await SignInAsync("khoa.thu@demo.gov.vn", "not-the-password-" + i);
        var page = await SignInAsync("khoa.thu@demo.gov.vn", ApiFactory.StaffPassword);
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("tạm bị khóa");
    }

    [Fact]
    public async Task An_admin_revises_a_fee_and_new_orders_use_it()
    {
        var page = await SignInAsync("quan.tri@demo.gov.vn", ApiFactory.StaffPassword);
        await page.GotoAsync("/staff/admin/fees");
        await page.GetByLabel("Mức thu HOCHIEU").FillAsync("250000");
        await page.Locator("#fee-HOCHIEU button").ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("Đã lưu HOCHIEU");
        await BrowserFixture.ScreenshotAsync(page, "admin-fees");
        var order = await app.Api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "WEB-FEE", fee: "HOCHIEU"));
        Assert.Equal(250_000, order.GetProperty("amount").GetProperty("value").GetInt64());
    }

    [Fact]
    public async Task A_cashier_imports_a_statement_with_a_progress_bar_and_links_the_unknown_credit()
    {
        var order = await app.Api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "WEB-RECON"));
        var amount = order.GetProperty("amount").GetProperty("value").GetInt64();
        var at = app.Api.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7));
        var csv = new System.Text.StringBuilder("bankTxnId,bookedAt,amount,content,account\n");
        csv.Append($"WEB-RC-1,{at:yyyy-MM-ddTHH:mm:sszzz},{amount},NOP PHI HO SO WEB RECON,{ApiFactory.VietQrAccount}\n");
        // Enough debit lines (ignored, nothing to hold) that the import takes a moment to follow.
        for (var i = 0; i < 30_000; i++) csv.Append($"WEB-DB-{i},{at.AddSeconds(-i):yyyy-MM-ddTHH:mm:sszzz},-1000,PHI,{ApiFactory.VietQrAccount}\n");

        var page = await SignInAsync("thu.ngan@demo.gov.vn", ApiFactory.StaffPassword);
        await page.GotoAsync("/staff/reconciliation");
        await page.GetByLabel("Tệp CSV").SetInputFilesAsync(new FilePayload
        {
            Name = "sao-ke-web.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv.ToString()),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Nhập và đối soát" }).ClickAsync();
        await Assertions.Expect(page.Locator("#import-progress")).ToBeVisibleAsync();
        await page.WaitForURLAsync("**/staff/reconciliation?import=*", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#import-counts")).ToContainTextAsync("30000", Soon);
        await BrowserFixture.ScreenshotAsync(page, "reconciliation");

        var row = page.Locator("#items tr", new() { HasText = "WEB-RC-1" });
        await row.GetByPlaceholder("Mã hồ sơ / mã thanh toán").FillAsync("WEB-RECON");
        await row.GetByPlaceholder("Lý do").FillAsync("Người nộp không ghi mã thanh toán");
        await row.GetByRole(AriaRole.Button, new() { Name = "Ghi nhận" }).ClickAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("Đã xử lý khoản WEB-RC-1", Soon);
        Assert.Equal("paid", (await app.Api.Portal().GetOrderAsync(order.GetProperty("id").GetString()!)).GetProperty("status").GetString());
    }
}
