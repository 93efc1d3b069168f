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
    DateTimeOffset IssuedAt);

public sealed record GetReceipt(Guid Id, string AgencyCode) : IQuery<Result<ReceiptView>>;

public sealed class GetReceiptHandler(PaymentsDbContext db) : IQueryHandler<GetReceipt, Result<ReceiptView>>
{
    public async ValueTask<Result<ReceiptView>> Handle(GetReceipt query, CancellationToken ct)
    {
        var id = new ReceiptId(query.Id);
        var r = await db.Receipts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.AgencyCode == query.AgencyCode, ct);
        if (r is null) return Error.NotFound("receipt_not_found", "No such receipt.");
        return new ReceiptView(r.Id.Value, r.OrderId.Value, Receipt.Title, r.TemplateSymbol, r.Series, r.Number, r.DisplayNumber,
            r.Status.ToString().ToLowerInvariant(), AmountView.From(r.Amount), r.AmountInWords, r.AgencyCode, r.DossierCode, r.PayerName,
            r.PaymentMethod, r.ProviderReference, r.ProviderTransactionId, r.Collector, r.IssuedAt.ToVietnam());
    }
}

internal static class GetReceiptEndpoint
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/receipts/{id:guid}", async (Guid id, HttpContext http, ISender sender, CancellationToken ct) =>
                (await sender.Send(new GetReceipt(id, CallingClient.From(http.User).AgencyCode), ct)).Map(Results.Ok))
            .WithName("GetReceipt").Produces<ReceiptView>().ProducesProblem(404);
}
