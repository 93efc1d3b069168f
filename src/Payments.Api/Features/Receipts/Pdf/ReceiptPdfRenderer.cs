using System.Globalization;
using SkiaSharp;
using Payments.Domain.Common;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.Receipts.Pdf;

/// <summary>
/// Draws a receipt on one A5 page from its signed content (never from live tables): national heading, organisation,
/// title, symbols and number, payer, fee lines, totals in figures and words, payment facts, a QR to the public
/// verification page and the signature block. A cancelled or replaced receipt carries that across the page.
/// </summary>
public sealed class ReceiptPdfRenderer(ReceiptFonts fonts)
{
    private const float Width = 419.53f, Height = 595.28f, Margin = 28f, Right = Width - Margin, Inner = Width - 2 * Margin;
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    public byte[] Render(Receipt receipt, string verifyUrl)
    {
        var c = receipt.Content;
        // Laid out twice: a dry pass notes the characters and glyphs each face sets, then the page is drawn with faces
        // cut down to them, so the PDF embeds ~100 glyphs instead of two whole faces (docs/adr/0016).
        var used = new UsedGlyphs();
        using (var dry = PdfCanvas.Collecting(fonts.Whole, used, Width, Height)) Draw(dry, receipt, c, verifyUrl);
        using var faces = fonts.SubsetFor(used);
        // Skia's own memory stream, copied out once: a managed stream is called back for each of Skia's many small writes.
        using var stream = new SKDynamicMemoryWStream();
        using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
        {
            Title = $"{c.Title} {c.Series} {c.Number}",
            Author = c.Organisation.Name,
            Creator = "Payments",
            Producer = "Payments (SkiaSharp)",
            Creation = receipt.IssuedAt.UtcDateTime,
        }))
        {
            using var pdf = new PdfCanvas(document.BeginPage(Width, Height), faces, used.Shaped);
            Draw(pdf, receipt, c, verifyUrl);
            document.EndPage();
            document.Close();
        }
        using var data = stream.DetachAsData();
        return data.ToArray();
    }

    private static void Draw(PdfCanvas pdf, Receipt receipt, ReceiptContent c, string verifyUrl)
    {
        // Heading: organisation on the left, the national motto on the right.
        var half = Inner / 2 - 6;
        var left = pdf.Wrapped(c.Organisation.Name.ToUpperInvariant(), Margin, Margin + 10, half, 7.5f, bold: true, SKTextAlign.Center);
        left = pdf.Wrapped($"Mã số thuế: {c.Organisation.TaxCode}", Margin, left, half, 7.5f, align: SKTextAlign.Center);
        if (c.Organisation.Address is { } address) left = pdf.Wrapped(address, Margin, left, half, 7f, align: SKTextAlign.Center);
        var rightX = Margin + Inner / 2 + 6;
        var right = pdf.Wrapped("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rightX, Margin + 10, half, 7.5f, bold: true, SKTextAlign.Center);
        right = pdf.Wrapped("Độc lập - Tự do - Hạnh phúc", rightX, right, half, 7.5f, bold: true, SKTextAlign.Center);
        var y = Math.Max(left, right) + 14;

        pdf.Text(c.Title.ToUpper(Vi), Width / 2, y, 14, bold: true, SKTextAlign.Center);
        y += 13;
        pdf.Text("(Bản thể hiện của biên lai điện tử)", Width / 2, y, 7.5f, align: SKTextAlign.Center);
        y += 14;
        pdf.Text($"Mẫu số: {c.TemplateSymbol}    Ký hiệu: {c.Series}    Số: {c.Number}", Width / 2, y, 9, bold: true, SKTextAlign.Center);
        y += 20;

        y = Field(pdf, "Tên đơn vị thu", c.Organisation.Name, y);
        y = Field(pdf, "Họ tên người nộp", c.Payer.Name, y);
        y = Field(pdf, "Địa chỉ", c.Payer.Address ?? "", y);
        y = Field(pdf, "Số định danh (CCCD)", c.Payer.IdNumber ?? "", y);
        y = Field(pdf, "Mã hồ sơ", c.DossierCode, y);
        y += 4;

        y = Lines(pdf, c, y);
        y = Field(pdf, "Số tiền bằng chữ", c.TotalInWords, y + 4, boldValue: true);
        y = Field(pdf, "Hình thức thanh toán", c.PaymentMethod + (c.ProviderReference is { } r ? $" — mã tham chiếu {r}" : ""), y);
        if (c.ProviderTransactionId is { } txn) y = Field(pdf, "Mã giao dịch", txn, y);
        y = Field(pdf, "Thời điểm thu", CollectedAt(c.CollectedAt), y);
        if (c.Replaces is { } replaces) y = Field(pdf, "Thay thế cho biên lai", replaces, y);

        Footer(pdf, receipt, c, verifyUrl, Math.Max(y + 8, Height - Margin - 150));
        if (receipt.Status != ReceiptStatus.Valid) Stamp(pdf, receipt.Status == ReceiptStatus.Cancelled ? "ĐÃ HỦY" : "ĐÃ BỊ THAY THẾ");
    }

    private static float Field(PdfCanvas pdf, string label, string value, float y, bool boldValue = false)
    {
        var text = $"{label}: ";
        pdf.Text(text, Margin, y, 8.5f);
        return pdf.Wrapped(value, Margin + pdf.Measure(text, 8.5f), y, Inner - pdf.Measure(text, 8.5f), 8.5f, boldValue) + 1;
    }

    private static float Lines(PdfCanvas pdf, ReceiptContent c, float y)
    {
        float colNo = Margin, colName = Margin + 22, colAmount = Right;
        pdf.Rule(Margin, y - 9, Right, y - 9);
        pdf.Text("STT", colNo + 2, y, 8, bold: true);
        pdf.Text("Tên khoản thu, căn cứ thu", colName, y, 8, bold: true);
        pdf.Text("Số tiền (đồng)", colAmount, y, 8, bold: true, SKTextAlign.Right);
        y += 5;
        pdf.Rule(Margin, y, Right, y);
        y += 11;
        foreach (var line in c.Lines)
        {
            pdf.Text(line.No.ToString(), colNo + 6, y, 8.5f);
            pdf.Text(Money.Vnd(line.Amount).ToDisplayString().Replace(" ₫", ""), colAmount, y, 8.5f, align: SKTextAlign.Right);
            var name = line.Quantity > 1 ? $"{line.Name} (× {line.Quantity})" : line.Name;
            // "Lệ phí cấp …" already says what it is; a bare name gets its kind in front.
            var label = name.StartsWith(line.Kind, StringComparison.OrdinalIgnoreCase) ? name : $"{line.Kind}: {name}";
            y = pdf.Wrapped(label, colName, y, colAmount - colName - 70, 8.5f);
            y = pdf.Wrapped($"Căn cứ: {line.LegalBasis}", colName, y, colAmount - colName - 70, 7f) + 2;
        }
        pdf.Rule(Margin, y - 8, Right, y - 8);
        y += 4;
        pdf.Text("Tổng cộng", colName, y, 9, bold: true);
        pdf.Text(Money.Vnd(c.Total).ToDisplayString().Replace(" ₫", ""), colAmount, y, 9, bold: true, SKTextAlign.Right);
        return y + 14;
    }

    private static void Footer(PdfCanvas pdf, Receipt receipt, ReceiptContent c, string verifyUrl, float y)
    {
        pdf.Qr(verifyUrl, Margin, y, 78);
        pdf.Wrapped("Tra cứu biên lai:", Margin, y + 90, 150, 6.5f);
        pdf.Wrapped(verifyUrl, Margin, y + 99, 160, 6f);

        var x = Margin + Inner / 2;
        var w = Inner / 2;
        var yy = pdf.Wrapped("NGƯỜI THU TIỀN", x, y + 8, w, 8.5f, bold: true, SKTextAlign.Center);
        yy = pdf.Wrapped(c.Collector, x, yy, w, 8.5f, align: SKTextAlign.Center) + 6;
        if (receipt.Signature is not null)
        {
            yy = pdf.Wrapped("Chữ ký số hợp lệ", x, yy, w, 7.5f, bold: true, SKTextAlign.Center);
            yy = pdf.Wrapped($"Ký bởi: {receipt.SignerSubject}", x, yy, w, 6.5f, align: SKTextAlign.Center);
            yy = pdf.Wrapped($"Ký ngày: {receipt.SignedAt!.Value.ToVietnam():dd/MM/yyyy HH:mm:ss} (GMT+7)", x, yy, w, 6.5f, align: SKTextAlign.Center);
            yy = pdf.Wrapped($"SHA-256: {receipt.ContentSha256[..32]}", x, yy, w, 5.5f, align: SKTextAlign.Center);
            pdf.Wrapped(receipt.ContentSha256[32..], x, yy, w, 5.5f, align: SKTextAlign.Center);
        }
    }

    private static void Stamp(PdfCanvas pdf, string text)
    {
        pdf.Raw.Save();
        pdf.Raw.RotateDegrees(-30, Width / 2, Height / 2);
        pdf.Text(text, Width / 2, Height / 2, 44, bold: true, SKTextAlign.Center, new SKColor(200, 0, 0, 110));
        pdf.Raw.Restore();
    }

    private static string CollectedAt(string iso) =>
        DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? $"{t:HH:mm:ss} ngày {t:dd/MM/yyyy} (GMT+7)" : iso;
}
