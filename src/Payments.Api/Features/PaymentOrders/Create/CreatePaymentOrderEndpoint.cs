using Mediator;
using Microsoft.AspNetCore.Mvc;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;

namespace Payments.Api.Features.PaymentOrders.Create;

internal static class CreatePaymentOrderEndpoint
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/payment-orders", async (HttpContext http, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                CreatePaymentOrderBody body, ISender sender, CancellationToken ct) =>
            {
                var result = await sender.Send(new CreatePaymentOrder(CallingClient.From(http.User), idempotencyKey ?? "", body), ct);
                return result.Map(created =>
                {
                    if (created.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
                    return Results.Created($"/api/v1/payment-orders/{created.Order.Id}", created.Order);
                });
            })
            .WithName("CreatePaymentOrder")
            .WithSummary("Create a payment order for a dossier's fees (Idempotency-Key required)")
            .Produces<OrderView>(StatusCodes.Status201Created)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(422);
}
