using System.Text;
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
                    // The JSON stored with the Idempotency-Key, sent as it is rather than serialized a second time: a replay
                    // answers with the very bytes of the first answer.
                    http.Response.Headers.Location = $"/api/v1/payment-orders/{created.Order.Id}";
                    return Results.Text(created.Json, "application/json; charset=utf-8", Encoding.UTF8, StatusCodes.Status201Created);
                });
            })
            .WithName("CreatePaymentOrder")
            .WithSummary("Create a payment order for a dossier's fees (Idempotency-Key required)")
            .Produces<OrderView>(StatusCodes.Status201Created)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(422);
}
