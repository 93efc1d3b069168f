using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Receipts;
using static Payments.Api.Infrastructure.Http.HtmlPage;

namespace Payments.Api.Features.Receipts;

/// <summary>
/// The public check a citizen or auditor reaches from the QR on a receipt: status (valid, cancelled, replaced by …),
/// the key fields from the signed content, and whether the signature checks. Also the citizen's PDF download by
/// their payment page token.
/// </summary>
internal static class VerifyPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/verify/{token}", ShowAsync).ExcludeFromDescription().RequireRateLimiting(Infrastructure.Http.RateLimits.Public);
        app.MapGet("/pay/{token}/receipt.pdf", async (string token, PaymentsDbContext db, Pdf.ReceiptPdfRenderer pdf, PublicUrls urls, CancellationToken ct) =>
        {
            var receipt = await (from o in db.Orders join r in db.Receipts on o.Id equals r.OrderId
                                 where o.PayToken == token && r.Status == ReceiptStatus.Valid select r).AsNoTracking().FirstOrDefaultAsync(ct);
            return receipt is null ? Results.NotFound() : GetReceiptEndpoint.PdfFile(receipt, pdf, urls);
        }).ExcludeFromDescription().RequireRateLimiting(Infrastructure.Http.RateLimits.Public);
    }

    private static async Task<IResult> ShowAsync(string token, PaymentsDbContext db, CancellationToken ct)
    {
        var r = token.Length is > 0 and <= 64 ? await db.Receipts.AsNoTracking().FirstOrDefaultAsync(x => x.VerifyToken == token, ct) : null;
        if (r is null)
            return Render("Tra cứu biên lai", "<h1>Không tìm thấy biên lai</h1><p>Mã tra cứu không đúng. Biên lai này không do hệ thống phát hành.</p>", 404);
        var c = r.Content;
        var signed = ReceiptVerification.SignatureChecks(r);
        var replacedBy = r.ReplacedById is { } next ? await db.Receipts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == next, ct) : null;
        var (status, css) = r.Status switch
        {
            ReceiptStatus.Valid => ("Hợp lệ", "paid"),
            ReceiptStatus.Cancelled => ($"Đã hủy ({r.CancelReason})", "bad"),
            _ => ($"Đã bị thay thế bởi biên lai {replacedBy?.Series} số {replacedBy?.DisplayNumber} ({r.CancelReason})", "bad"),
        };
        var body = $"""
            <h1>Tra cứu biên lai điện tử</h1>
            <p>Trạng thái: <span class="status {css}">{E(status)}</span></p>
            <p>Chữ ký số: <span class="status {(signed ? "paid" : "bad")}">{(signed ? "Hợp lệ — nội dung không bị thay đổi" : "KHÔNG hợp lệ")}</span><br>
            <span class="muted">Ký bởi {E(r.SignerSubject)} lúc {r.SignedAt?.ToVietnam():dd/MM/yyyy HH:mm:ss}; SHA-256 {E(r.ContentSha256)}</span></p>
            <table>
            <tr><td>Mẫu số / Ký hiệu / Số</td><td>{E(c.TemplateSymbol)} / {E(c.Series)} / {E(c.Number)}</td></tr>
            <tr><td>Đơn vị thu</td><td>{E(c.Organisation.Name)} (MST {E(c.Organisation.TaxCode)})</td></tr>
            <tr><td>Người nộp</td><td>{E(c.Payer.Name)}</td></tr>
            <tr><td>Mã hồ sơ</td><td>{E(c.DossierCode)}</td></tr>
            <tr><td>Số tiền</td><td>{E(Money.Vnd(c.Total).ToDisplayString())} ({E(c.TotalInWords)})</td></tr>
            <tr><td>Thời điểm thu</td><td>{E(c.CollectedAt)}</td></tr>
            {(c.Replaces is { } rep ? $"<tr><td>Thay thế cho</td><td>{E(rep)}</td></tr>" : "")}
            </table>
            """;
        return Render("Tra cứu biên lai " + c.Number, body);
    }
}
