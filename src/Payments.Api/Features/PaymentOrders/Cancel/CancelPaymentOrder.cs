using Mediator;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Orders;

namespace Payments.Api.Features.PaymentOrders.Cancel;

public sealed record CancelPaymentOrder(OrderLocator Locator) : ICommand<Result<OrderView>>;

/// <summary>The portal withdraws an order before it is paid (e.g. the dossier was withdrawn).</summary>
public sealed class CancelPaymentOrderHandler(PaymentsDbContext db, PublicUrls urls, TimeProvider clock)
    : ICommandHandler<CancelPaymentOrder, Result<OrderView>>
{
    public async ValueTask<Result<OrderView>> Handle(CancelPaymentOrder cmd, CancellationToken ct)
    {
        var order = await db.LocateAsync(cmd.Locator, ct);
        if (order is null) return OrderQueries.OrderNotFound;
        var now = clock.GetUtcNow();
        var cancelled = order.Cancel(now);
        if (!cancelled.IsSuccess) return cancelled.Error!;
        db.Outbox.Add(Callbacks.OrderEvents.Event("payment_order.cancelled", order, null, now));
        return OrderView.From(order, null, urls);
    }
}

internal static class CancelPaymentOrderEndpoint
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/payment-orders/{id:guid}/cancel", async (Guid id, HttpContext http, ISender sender, CancellationToken ct) =>
                (await sender.Send(new CancelPaymentOrder(OrderLocator.ForClient(id, CallingClient.From(http.User).AgencyCode)), ct))
                .Map(Results.Ok))
            .WithName("CancelPaymentOrder").Produces<OrderView>().ProducesProblem(404).ProducesProblem(409);
}
