using SkiaSharp;
using Payments.Api.Features.Receipts.Pdf;
using Payments.Domain.Common;
using Payments.Domain.Reconciliation;

namespace Payments.Api.Features.Counter;

/// <summary>
/// The desk's close report (biên bản chốt quỹ), A4: agency, desk, day, expected/counted/difference per method, the
/// explanation, every payment it covers, and signature lines for the cashier and the accountant. Drawn from the stored close.
/// </summary>
public sealed class CloseReportPdf(ReceiptFonts fonts)
{
    private const float Width = 595.28f, Height = 841.89f, Margin = 40f, Right = Width - Margin;

    public byte[] Render(DailyClose close, string agencyName)
    {
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
        {
            Title = $"Biên bản chốt quỹ {close.Day:dd/MM/yyyy} — {close.Desk}", Author = agencyName, Creator = "Payments", Creation = close.ClosedAt.UtcDateTime,
        }))
        {
            var pdf = new PdfCanvas(document.BeginPage(Width, Height), fonts.Whole);
            var y = Header(pdf, close, agencyName);
            y = Methods(pdf, close, y);
            foreach (var payment in close.Payments)
            {
                if (y > Height - Margin - 90)
                {
                    document.EndPage();
                    pdf.Dispose();
                    pdf = new PdfCanvas(document.BeginPage(Width, Height), fonts.Whole);
                    y = Margin + 20;
                }
                pdf.Text(payment.At.ToVietnam().ToString("HH:mm"), Margin, y, 8.5f);
                pdf.Text(payment.DossierCode, Margin + 45, y, 8.5f);
                pdf.Text(payment.Method, Margin + 250, y, 8.5f);
                pdf.Text(payment.Receipt ?? "", Margin + 320, y, 8.5f);
                pdf.Text(Money.Vnd(payment.Amount).ToDisplayString().Replace(" ₫", ""), Right, y, 8.5f, align: SKTextAlign.Right);
                y += 13;
            }
            Signatures(pdf, close, Math.Min(y + 20, Height - Margin - 70));
            pdf.Dispose();
            document.EndPage();
            document.Close();
        }
        return stream.ToArray();
    }

    private static float Header(PdfCanvas pdf, DailyClose c, string agencyName)
    {
        var y = pdf.Wrapped(agencyName.ToUpperInvariant(), Margin, Margin + 10, 260, 8.5f, bold: true);
        pdf.Wrapped("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Margin + 270, Margin + 10, Right - Margin - 270, 8.5f, bold: true, SKTextAlign.Center);
        pdf.Wrapped("Độc lập - Tự do - Hạnh phúc", Margin + 270, Margin + 22, Right - Margin - 270, 8.5f, bold: true, SKTextAlign.Center);
        y = Math.Max(y, Margin + 40) + 20;
        pdf.Text("BIÊN BẢN CHỐT QUỸ CUỐI NGÀY", Width / 2, y, 14, bold: true, SKTextAlign.Center);
        y += 16;
        pdf.Text($"Ngày {c.Day:dd/MM/yyyy}", Width / 2, y, 9.5f, align: SKTextAlign.Center);
        y += 24;
        pdf.Text($"Quầy / thu ngân: {c.Desk}", Margin, y, 9.5f);
        y += 14;
        pdf.Text($"Chốt lúc: {c.ClosedAt.ToVietnam():HH:mm:ss dd/MM/yyyy} (GMT+7), bởi {c.ClosedBy}", Margin, y, 9.5f);
        return y + 22;
    }

    private static float Methods(PdfCanvas pdf, DailyClose c, float y)
    {
        pdf.Rule(Margin, y - 10, Right, y - 10);
        pdf.Text("Hình thức", Margin, y, 9, bold: true);
        pdf.Text("Theo hệ thống", Margin + 260, y, 9, bold: true, SKTextAlign.Right);
        pdf.Text("Thực đếm / chứng từ", Margin + 380, y, 9, bold: true, SKTextAlign.Right);
        pdf.Text("Chênh lệch", Right, y, 9, bold: true, SKTextAlign.Right);
        y += 6;
        pdf.Rule(Margin, y, Right, y);
        y += 13;
        foreach (var l in c.Lines)
        {
            pdf.Text(MethodName(l.Method), Margin, y, 9);
            pdf.Text(Amount(l.Expected), Margin + 260, y, 9, align: SKTextAlign.Right);
            pdf.Text(Amount(l.Counted), Margin + 380, y, 9, align: SKTextAlign.Right);
            pdf.Text(l.Difference == 0 ? "0" : (l.Difference > 0 ? "+" : "-") + Amount(Math.Abs(l.Difference)), Right, y, 9, align: SKTextAlign.Right);
            y += 14;
        }
        pdf.Rule(Margin, y - 9, Right, y - 9);
        pdf.Text("Cộng", Margin, y + 2, 9, bold: true);
        pdf.Text(Amount(c.Expected), Margin + 260, y + 2, 9, bold: true, SKTextAlign.Right);
        pdf.Text(Amount(c.Counted), Margin + 380, y + 2, 9, bold: true, SKTextAlign.Right);
        y += 22;
        y = pdf.Wrapped(c.Balanced ? "Kết luận: số thực đếm khớp số theo hệ thống." : $"Giải trình chênh lệch: {c.Explanation}", Margin, y, Right - Margin, 9.5f) + 10;
        pdf.Text($"Các khoản đã thu ({c.Payments.Count}):", Margin, y, 9.5f, bold: true);
        return y + 16;
    }

    private static void Signatures(PdfCanvas pdf, DailyClose c, float y)
    {
        pdf.Wrapped("THU NGÂN", Margin, y, 200, 9, bold: true, SKTextAlign.Center);
        pdf.Wrapped("(Ký, ghi rõ họ tên)", Margin, y + 12, 200, 8, align: SKTextAlign.Center);
        pdf.Wrapped(c.Desk, Margin, y + 50, 200, 8.5f, align: SKTextAlign.Center);
        pdf.Wrapped("KẾ TOÁN", Right - 200, y, 200, 9, bold: true, SKTextAlign.Center);
        pdf.Wrapped("(Ký, ghi rõ họ tên)", Right - 200, y + 12, 200, 8, align: SKTextAlign.Center);
    }

    private static string Amount(long v) => Money.Vnd(v).ToDisplayString().Replace(" ₫", "");

    public static string MethodName(string method) => method switch
    {
        "cash" => "Tiền mặt", "pos" => "Thẻ (POS)", "wallet_qr" => "Ví VNPT Pay tại quầy", _ => method,
    };
}
