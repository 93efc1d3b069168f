using Mediator;
using Microsoft.AspNetCore.Mvc;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;

namespace Payments.Api.Features.Refunds;

internal static class RefundPaymentEndpoint
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/payment-orders/{id:guid}/refunds", async (Guid id, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                RefundBody body, HttpContext http, ISender sender, CancellationToken ct) =>
                (await sender.Send(new RefundPayment(CallingClient.From(http.User), id, idempotencyKey ?? "", body), ct))
                .Map(r => Results.Created($"/api/v1/payment-orders/{id}/refunds/{r.Id}", r)))
            .WithName("RefundPayment").WithSummary("Refund all or part of a paid order (Idempotency-Key required)")
            .Produces<RefundView>(201).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412).ProducesProblem(422).ProducesProblem(502);
}
