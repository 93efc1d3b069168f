using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Receipts;

namespace Payments.Api.Infrastructure.Demo;

/// <summary>
/// Demo data for development (Demo:Seed=true, set in appsettings.Development.json): one agency, a realistic fee
/// catalogue (VIETNAM.md §1; legal bases to be checked before production), a receipt series, and a portal client
/// whose key is Demo:ApiKey. Idempotent: it only adds what is missing.
/// </summary>
internal static class DemoSeeder
{
    public const string AgencyCode = "000.00.12.H29";

    public static async Task SeedAsync(IServiceProvider services, IConfiguration config, ILogger log)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();

        // Plain reads: on a restart everything is there, and as LINQ each would compile a query (RowReader.ColumnAsync).
        // What is missing is written as new rows in one transaction (Seeding.InsertAsync), not through the change tracker.
        var rows = new List<object>();
        if (!await ExistsAsync(db, "SELECT \"Code\" FROM \"Agencies\" WHERE \"Code\" = @value", AgencyCode))
            rows.Add(new Agency
            {
                Code = AgencyCode,
                Name = "Trung tâm Phục vụ hành chính công tỉnh (dữ liệu mẫu)",
                TaxCode = "0100000000-999",
                Address = "01 Đường Mẫu, Phường Mẫu, Tỉnh Mẫu",
            });

        var existing = await RowReader.ColumnAsync(db, "SELECT \"Code\" FROM \"Fees\"");
        rows.AddRange(Catalogue().Where(f => !existing.Contains(f.Code)));

        if (!await ExistsAsync(db, "SELECT \"AgencyCode\" FROM \"ReceiptSeries\" WHERE \"AgencyCode\" = @value", AgencyCode))
            rows.Add(new ReceiptSeries(AgencyCode, templateSymbol: "01BLP0-001", seriesLetters: "BL"));

        var key = config["Demo:ApiKey"];
        if (!string.IsNullOrWhiteSpace(key))
        {
            var hash = ApiKeys.Hash(key);
            if (!await ExistsAsync(db, "SELECT \"KeyHash\" FROM \"ApiClients\" WHERE \"KeyHash\" = @value", hash))
                rows.Add(new ApiClient { Name = "Cổng dịch vụ công (demo)", AgencyCode = AgencyCode, KeyHash = hash, KeyPrefix = ApiKeys.PrefixOf(key), CreatedAt = now, Scopes = "portal finance" });
            // Keys never go to the log, not even the demo's: the README and Demo:ApiKey say what it is.
            log.LogWarning("Demo API client {KeyPrefix}… seeded (development only; the key is configuration Demo:ApiKey)", ApiKeys.PrefixOf(key));
        }
        await Seeding.InsertAsync(db, rows);
    }

    private static async Task<bool> ExistsAsync(PaymentsDbContext db, string sql, string value) =>
        (await RowReader.ColumnAsync(db, sql, ("@value", value))).Count > 0;

    private static IEnumerable<FeeItem> Catalogue()
    {
        static Money D(long dong) => Money.Vnd(dong);
        yield return new("GPLX-CAP", "Lệ phí cấp giấy phép lái xe (cấp mới, cấp đổi)", FeeKind.LePhi, D(135_000), "Thông tư 37/2023/TT-BTC [kiểm tra]", AgencyCode);
        yield return new("LLTP", "Phí cung cấp thông tin lý lịch tư pháp", FeeKind.Phi, D(200_000), "Thông tư 244/2016/TT-BTC [kiểm tra]", AgencyCode);
        yield return new("LLTP-UUDAI", "Phí cung cấp thông tin lý lịch tư pháp (học sinh, sinh viên, người có công)", FeeKind.Phi, D(100_000), "Thông tư 244/2016/TT-BTC [kiểm tra]", AgencyCode);
        yield return new("DKKD", "Lệ phí đăng ký doanh nghiệp", FeeKind.LePhi, D(50_000), "Thông tư 47/2019/TT-BTC [kiểm tra]", AgencyCode, onlineDiscountPercent: 100);
        yield return new("DKKD-CONGBO", "Phí công bố nội dung đăng ký doanh nghiệp", FeeKind.Phi, D(100_000), "Thông tư 47/2019/TT-BTC [kiểm tra]", AgencyCode);
        yield return new("HOCHIEU", "Lệ phí cấp hộ chiếu phổ thông", FeeKind.LePhi, D(200_000), "Thông tư 25/2021/TT-BTC [kiểm tra]", AgencyCode);
        yield return new("CCCD-DOI", "Lệ phí đổi thẻ căn cước", FeeKind.LePhi, D(50_000), "Thông tư 59/2019/TT-BTC [kiểm tra]", AgencyCode, onlineDiscountPercent: 50);
        yield return new("CCCD-CAPLAI", "Lệ phí cấp lại thẻ căn cước", FeeKind.LePhi, D(70_000), "Thông tư 59/2019/TT-BTC [kiểm tra]", AgencyCode, onlineDiscountPercent: 50);
        yield return new("KHAISINH", "Đăng ký khai sinh đúng hạn (miễn lệ phí)", FeeKind.LePhi, D(0), "Luật Hộ tịch 2014, Điều 11 [kiểm tra]", AgencyCode);
    }
}
