using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Payments.Api.Features.Receipts;
using Payments.Api.Features.Receipts.Pdf;
using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;
using Payments.Providers.VietQr;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace Payments.Benchmarks;

/// <summary>
/// Receipt PDF rendering against a baseline measured in the same run: a bare one-page Skia PDF with the same
/// embedded font and one shaped line. Targets (issue [3/8]): ≥ 100 receipts/s per core, and at least half the
/// baseline's speed (receipt time ≤ 2 × baseline time).
/// </summary>
[MemoryDiagnoser]
public class ReceiptRendering
{
    private ReceiptFonts _fonts = null!;
    private ReceiptPdfRenderer _renderer = null!;
    private Receipt _receipt = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fonts = new ReceiptFonts();
        _renderer = new ReceiptPdfRenderer(_fonts);
        var now = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var fees = new[]
        {
            new FeeItem("GPLX", "Lệ phí cấp giấy phép lái xe (cấp mới, cấp đổi)", FeeKind.LePhi, Money.Vnd(135_000), "Thông tư 37/2023/TT-BTC", "AG"),
            new FeeItem("LLTP", "Phí cung cấp thông tin lý lịch tư pháp", FeeKind.Phi, Money.Vnd(200_000), "Thông tư 244/2016/TT-BTC", "AG"),
        }.Select(f => f.Quote(1, Channel.Counter, new DateOnly(2026, 11, 23)).Value).ToList();
        var order = PaymentOrder.Create(Guid.NewGuid(), "AG", "000.00.12.H29-261123-0001", "1.000105",
            new Payer("Nguyễn Thị Ánh Tuyết", "001088012345", null, null, "Số 12 Ngõ 34 Phường Dịch Vọng, Quận Cầu Giấy, Hà Nội"),
            Channel.Counter, fees, "token", null, now, TimeSpan.FromHours(1)).Value;
        var attempt = order.RecordCounterPayment("cash", "CTR1", "Trần Thị Bình (NV001)", now).Value;
        _receipt = Receipt.Issue(order, attempt, new ReceiptSeries("AG", "01BLP0-001", "BL"), new ReceiptCounter(0, 2026), attempt.RecordedBy!,
            new Organisation("Trung tâm Phục vụ hành chính công tỉnh", "0100000000-999", "01 Đường Mẫu, Tỉnh Mẫu"), "verify-token", now).Value;
        using var rsa = RSA.Create(2048);
        using var cert = new CertificateRequest("CN=DEVELOPMENT ONLY - bench", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        new CertificateReceiptSigner(cert).Seal(_receipt, now);
    }

    [Benchmark(Baseline = true, Description = "bare one-page Skia PDF, same font, one shaped line")]
    public byte[] BareSkiaPdf()
    {
        using var stream = new MemoryStream();
        using (var doc = SKDocument.CreatePdf(stream))
        {
            var canvas = doc.BeginPage(419.53f, 595.28f);
            using var font = new SKFont(_fonts.Regular, 12);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var shaper = new SKShaper(_fonts.Regular);
            canvas.DrawShapedText(shaper, "Biên lai thu phí, lệ phí", 28, 40, SKTextAlign.Left, font, paint);
            doc.EndPage();
            doc.Close();
        }
        return stream.ToArray();
    }

    /// <summary>
    /// The floor for any page with bold headings: the same bare page with one line in each of the receipt's two faces.
    /// Each embedded face costs about one baseline, so this alone is about 2× (see docs/adr/0016).
    /// </summary>
    [Benchmark(Description = "bare one-page Skia PDF, regular + bold faces, one shaped line each")]
    public byte[] BareSkiaPdfTwoFaces()
    {
        using var stream = new MemoryStream();
        using (var doc = SKDocument.CreatePdf(stream))
        {
            var canvas = doc.BeginPage(419.53f, 595.28f);
            using var regular = new SKFont(_fonts.Regular, 12);
            using var bold = new SKFont(_fonts.Bold, 12);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var regularShaper = new SKShaper(_fonts.Regular);
            using var boldShaper = new SKShaper(_fonts.Bold);
            canvas.DrawShapedText(boldShaper, "Biên lai thu phí, lệ phí", 28, 40, SKTextAlign.Left, bold, paint);
            canvas.DrawShapedText(regularShaper, "Biên lai thu phí, lệ phí", 28, 60, SKTextAlign.Left, regular, paint);
            doc.EndPage();
            doc.Close();
        }
        return stream.ToArray();
    }

    [Benchmark(Description = "receipt PDF (A5, signed content, QR)")]
    public byte[] ReceiptPdf() => _renderer.Render(_receipt, "https://payments.example.gov.vn/verify/verify-token");

    [Benchmark(Description = "amount in words (999.999.999.999)")]
    public string AmountInWords() => VietnameseAmountWords.ToWords(999_999_999_999);

    [Benchmark(Description = "VietQR payload with CRC")]
    public string VietQrPayload() =>
        Providers.VietQr.VietQrPayload.Build(new("970436", "0011000123456", Providers.VietQr.VietQrPayload.ToAccount, 135_000, "TT7KQ2M9XA", "TT7KQ2M9XA"));
}
