using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;
using UglyToad.PdfPig;

namespace Payments.Api.Tests;

public class ReceiptDocumentTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;
    private readonly HttpClient _portal;

    public ReceiptDocumentTests(ApiFactory api) { _api = api; _portal = api.Portal(); }

    private async Task<System.Text.Json.JsonElement> PaidReceiptAsync(string dossier)
    {
        var id = await _portal.PayAsync(dossier);
        var receiptId = (await _portal.GetOrderAsync(id)).GetProperty("receipt").GetProperty("id").GetString();
        return await (await _portal.GetAsync($"/api/v1/receipts/{receiptId}")).Json();
    }

    private static string Squash(string s) => new(s.Where(c => !char.IsWhiteSpace(c)).ToArray());

    [Fact]
    public async Task The_pdf_carries_every_mandatory_field_with_its_exact_value()
    {
        var receipt = await PaidReceiptAsync("000.00.12.H29-261123-0099");
        var pdfUrl = new Uri(receipt.GetProperty("pdfUrl").GetString()!).AbsolutePath;
        var res = await _portal.GetAsync(pdfUrl);
        Assert.Equal("application/pdf", res.Content.Headers.ContentType!.MediaType);
        var bytes = await res.Content.ReadAsByteArrayAsync();
        // Both faces are cut down to the glyphs this receipt sets: ~20 KB in all, where the whole faces alone took ~47 KB.
        Assert.InRange(bytes.Length, 5_000, 32_000);

        using var pdf = PdfDocument.Open(bytes);
        Assert.Equal(1, pdf.NumberOfPages);
        var text = Squash(string.Join(" ", pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text)))));
        var number = receipt.GetProperty("displayNumber").GetString()!;
        foreach (var expected in new[]
        {
            "BIÊN LAI THU PHÍ, LỆ PHÍ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
            "Mẫu số: 01BLP0-001", $"Ký hiệu: {receipt.GetProperty("series").GetString()}", $"Số: {number}",
            "Trung tâm Phục vụ hành chính công tỉnh (dữ liệu mẫu)", "Mã số thuế: 0100000000-999",
            "Họ tên người nộp: Nguyễn Văn An", "Địa chỉ: Hà Nội", "Số định danh (CCCD): 001088012345",
            "Lệ phí cấp giấy phép lái xe (cấp mới, cấp đổi)", "Căn cứ: Thông tư 37/2023/TT-BTC [kiểm tra]", "135.000",
            "Số tiền bằng chữ: Một trăm ba mươi lăm nghìn đồng", "Hình thức thanh toán: sandbox", receipt.GetProperty("providerReference").GetString()!,
            "Mã hồ sơ: 000.00.12.H29-261123-0099", "(GMT+7)", "NGƯỜI THU TIỀN", "system", "Ký bởi: CN=DEVELOPMENT ONLY",
        })
            Assert.Contains(Squash(expected), text);
    }

    [Fact]
    public async Task A_rendered_page_is_not_blank_and_its_qr_scans_to_the_verify_url()
    {
        var receipt = await PaidReceiptAsync("REC-PNG");
        var bytes = await (await _portal.GetAsync(new Uri(receipt.GetProperty("pdfUrl").GetString()!).AbsolutePath)).Content.ReadAsByteArrayAsync();
        var dir = Directory.CreateTempSubdirectory("receipt-png-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "r.pdf"), bytes);
            if (!File.Exists("/usr/bin/pdftoppm")) Assert.Fail("pdftoppm is missing: apt-get install poppler-utils (./test.sh does this when run as root).");
            using var run = Process.Start("/usr/bin/pdftoppm", ["-png", "-r", "60", Path.Combine(dir, "r.pdf"), Path.Combine(dir, "page")])!;
            run.WaitForExit();
            var png = Directory.GetFiles(dir, "page*.png").Single();
            using var bitmap = SKBitmap.Decode(png);
            var ink = 0;
            for (var y = 0; y < bitmap.Height; y += 2)
                for (var x = 0; x < bitmap.Width; x += 2)
                    if (bitmap.GetPixel(x, y).Red < 128) ink++;
            Assert.True(ink > 500, $"only {ink} dark samples: the page looks blank");

            // What a citizen's phone does with the printed receipt: render at print-preview resolution and scan.
            using var hi = Process.Start("/usr/bin/pdftoppm", ["-png", "-r", "150", Path.Combine(dir, "r.pdf"), Path.Combine(dir, "scan")])!;
            hi.WaitForExit();
            if (!File.Exists("/usr/bin/zbarimg")) Assert.Fail("zbarimg is missing: apt-get install zbar-tools (./test.sh does this when run as root).");
            var zbar = new ProcessStartInfo("/usr/bin/zbarimg", ["-q", "--raw", Directory.GetFiles(dir, "scan*.png").Single()]) { RedirectStandardOutput = true };
            using var scan = Process.Start(zbar)!;
            var decoded = scan.StandardOutput.ReadToEnd().Trim();
            scan.WaitForExit();
            Assert.Equal(receipt.GetProperty("verifyUrl").GetString(), decoded);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task The_verify_page_shows_a_valid_signed_receipt_and_refuses_unknown_tokens()
    {
        var receipt = await PaidReceiptAsync("REC-VERIFY");
        var verifyUrl = receipt.GetProperty("verifyUrl").GetString()!;
        var token = verifyUrl[(verifyUrl.LastIndexOf('/') + 1)..];
        Assert.True(token.Length >= 22, "the verify token carries at least 128 bits");
        Assert.DoesNotContain(receipt.GetProperty("id").GetString()!, verifyUrl);
        var page = await (await _api.Anonymous().GetAsync(new Uri(verifyUrl).AbsolutePath)).Content.ReadAsStringAsync();
        Assert.Contains("Hợp lệ — nội dung không bị thay đổi", page);
        Assert.Contains("Nguyễn Văn An", page);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Anonymous().GetAsync("/verify/forged-token-123")).StatusCode);
        Assert.Equal("RS256", receipt.GetProperty("signature").GetProperty("algorithm").GetString());
    }

    [Fact]
    public async Task Content_changed_in_the_store_no_longer_verifies()
    {
        var receipt = await PaidReceiptAsync("REC-TAMPER");
        var verifyUrl = receipt.GetProperty("verifyUrl").GetString()!;
        var id = new Domain.Common.ReceiptId(Guid.Parse(receipt.GetProperty("id").GetString()!));
        // Someone with database access edits the stored content behind the service's back.
        var changed = _api.Db(db => db.Receipts.Where(r => r.Id == id)
            .ExecuteUpdate(u => u.SetProperty(r => r.ContentJson, r => r.ContentJson.Replace("135000", "13500"))));
        Assert.Equal(1, changed);
        var page = await (await _api.Anonymous().GetAsync(new Uri(verifyUrl).AbsolutePath)).Content.ReadAsStringAsync();
        Assert.Contains("KHÔNG hợp lệ", page);
    }

    [Fact]
    public async Task The_citizen_downloads_the_receipt_from_the_payment_page()
    {
        var id = await _portal.PayAsync("REC-CITIZEN");
        var payUrl = new Uri((await _portal.GetOrderAsync(id)).GetProperty("paymentUrl").GetString()!).AbsolutePath;
        Assert.Contains("receipt.pdf", await (await _api.Anonymous().GetAsync(payUrl)).Content.ReadAsStringAsync());
        var pdf = await _api.Anonymous().GetAsync(payUrl + "/receipt.pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
    }
}
