using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.PaymentOrders;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.Receipts;

public sealed record ReceiptView(Guid Id, Guid OrderId, string Title, string TemplateSymbol, string Series, int Number,
    string DisplayNumber, string Status, AmountView Amount, string AmountInWords, string AgencyCode, string DossierCode,
    string PayerName, string PaymentMethod, string? ProviderReference, string? ProviderTransactionId, string Collector,
    DateTimeOffset IssuedAt, string VerifyUrl, string PdfUrl, SignatureView? Signature, Guid? Replaces, Guid? ReplacedBy, string? CancelReason);

public sealed record SignatureView(string Algorithm, string Signer, string Thumbprint, DateTimeOffset SignedAt, string ContentSha256);

public sealed record GetReceipt(Guid Id, string AgencyCode) : IQuery<Result<ReceiptView>>;

public sealed class GetReceiptHandler(PaymentsDbContext db, PublicUrls urls) : IQueryHandler<GetReceipt, Result<ReceiptView>>
{
    public async ValueTask<Result<ReceiptView>> Handle(GetReceipt query, CancellationToken ct)
    {
        var id = new ReceiptId(query.Id);
        var r = await db.Receipts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.AgencyCode == query.AgencyCode, ct);
        if (r is null) return Error.NotFound("receipt_not_found", "No such receipt.");
        return From(r, urls);
    }

    public static ReceiptView From(Receipt r, PublicUrls urls) =>
        new(r.Id.Value, r.OrderId.Value, Receipt.Title, r.TemplateSymbol, r.Series, r.Number, r.DisplayNumber,
            r.Status.ToString().ToLowerInvariant(), AmountView.From(r.Amount), r.AmountInWords, r.AgencyCode, r.DossierCode, r.PayerName,
            r.PaymentMethod, r.ProviderReference, r.ProviderTransactionId, r.Collector, r.IssuedAt.ToVietnam(),
            urls.Verify(r.VerifyToken), $"{urls.BaseUrl}/api/v1/receipts/{r.Id}/pdf",
            r.Signature is null ? null : new SignatureView(r.SignatureAlgorithm!, r.SignerSubject!, r.SignerThumbprint!, r.SignedAt!.Value.ToVietnam(), r.ContentSha256),
            r.ReplacesId?.Value, r.ReplacedById?.Value, r.CancelReason);
}

internal static class GetReceiptEndpoint
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/receipts/{id:guid}", async (Guid id, HttpContext http, ISender sender, CancellationToken ct) =>
                (await sender.Send(new GetReceipt(id, CallingClient.From(http.User).AgencyCode), ct)).Map(Results.Ok))
            .WithName("GetReceipt").Produces<ReceiptView>().ProducesProblem(404);
        api.MapGet("/receipts/{id:guid}/pdf", async (Guid id, HttpContext http, PaymentsDbContext db, Pdf.ReceiptPdfRenderer pdf, PublicUrls urls, CancellationToken ct) =>
            {
                var rid = new ReceiptId(id);
                var agency = CallingClient.From(http.User).AgencyCode;
                var r = await db.Receipts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == rid && x.AgencyCode == agency, ct);
                return r is null ? Problems.Of(404, "receipt_not_found", "No such receipt.") : PdfFile(r, pdf, urls);
            })
            .WithName("GetReceiptPdf").Produces(200, contentType: "application/pdf").ProducesProblem(404);
    }

    public static IResult PdfFile(Receipt r, Pdf.ReceiptPdfRenderer pdf, PublicUrls urls) =>
        Results.File(pdf.Render(r, urls.Verify(r.VerifyToken)), "application/pdf", $"bien-lai-{r.Series}-{r.DisplayNumber}.pdf");
}
