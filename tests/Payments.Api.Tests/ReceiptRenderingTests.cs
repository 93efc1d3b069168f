using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Payments.Api.Features.Receipts;
using Payments.Api.Features.Receipts.Pdf;
using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;
using UglyToad.PdfPig;

namespace Payments.Api.Tests;

/// <summary>
/// The renderer shares its whole faces (HarfBuzz shaping, the subsetter's source) between requests and cuts new faces
/// per receipt: receipts rendered at once on many threads must each carry their own payer, every character intact.
/// </summary>
public sealed class ReceiptRenderingTests
{
    private static Receipt Receipt(string payer, int number)
    {
        var now = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var fees = new[] { new FeeItem("GPLX", "Lệ phí cấp giấy phép lái xe", FeeKind.LePhi, Money.Vnd(135_000), "Thông tư 37/2023/TT-BTC", "AG") }
            .Select(f => f.Quote(1, Channel.Counter, new DateOnly(2026, 11, 23)).Value).ToList();
        var order = PaymentOrder.Create(Guid.NewGuid(), "AG", $"000.00.12.H29-261123-{number:D4}", "1.000105",
            new Payer(payer, "001088012345", null, null, "Phường Dịch Vọng, Quận Cầu Giấy, Hà Nội"),
            Channel.Counter, fees, "token", null, now, TimeSpan.FromHours(1)).Value;
        var attempt = order.RecordCounterPayment("cash", $"CTR{number}", "Trần Thị Bình (NV001)", now).Value;
        return Payments.Domain.Receipts.Receipt.Issue(order, attempt, new ReceiptSeries("AG", "01BLP0-001", "BL"), new ReceiptCounter(0, 2026),
            attempt.RecordedBy!, new Organisation("Trung tâm Phục vụ hành chính công tỉnh", "0100000000-999", null), "verify-token", now).Value;
    }

    [Fact]
    public void A_payer_name_with_a_lone_surrogate_still_renders_the_rest()
    {
        using var fonts = new ReceiptFonts();
        var pdf = new ReceiptPdfRenderer(fonts).Render(Receipt("Nguyễn \ud800Văn An", 1), "https://payments.example.gov.vn/verify/token");
        using var document = PdfDocument.Open(pdf);
        var text = string.Concat(document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("Nguyễn", text);
        Assert.Contains("VănAn", text);
    }

    [Fact]
    public void Receipts_rendered_at_once_each_carry_their_own_text()
    {
        using var fonts = new ReceiptFonts();
        var renderer = new ReceiptPdfRenderer(fonts);
        using var rsa = RSA.Create(2048);
        using var cert = new CertificateRequest("CN=DEVELOPMENT ONLY - test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var signer = new CertificateReceiptSigner(cert);
        string[] names = ["Nguyễn Thị Ánh Tuyết", "Trần Quốc Toản", "Lê Văn Hưu", "Phạm Ngũ Lão", "Hồ Xuân Hương", "Đặng Thùy Trâm", "Ngô Bảo Châu", "Vũ Trọng Phụng"];
        var receipts = Enumerable.Range(0, 48).Select(i =>
        {
            var r = Receipt(names[i % names.Length], i);
            signer.Seal(r, DateTimeOffset.UtcNow);
            return r;
        }).ToArray();

        var pdfs = new byte[receipts.Length][];
        Parallel.For(0, receipts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => pdfs[i] = renderer.Render(receipts[i], $"https://payments.example.gov.vn/verify/token-{i}"));

        for (var i = 0; i < receipts.Length; i++)
        {
            using var pdf = PdfDocument.Open(pdfs[i]);
            var text = string.Concat(pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
            Assert.Contains(names[i % names.Length].Replace(" ", ""), text);
            Assert.Contains($"000.00.12.H29-261123-{i:D4}", text);
        }
    }
}
