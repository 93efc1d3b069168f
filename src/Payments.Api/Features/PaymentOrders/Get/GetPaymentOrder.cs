using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.PaymentOrders.Get;

public sealed record GetPaymentOrder(OrderLocator Locator) : IQuery<Result<OrderView>>;

public sealed class GetPaymentOrderHandler(PaymentsDbContext db, PublicUrls urls, ReadCache cache) : IQueryHandler<GetPaymentOrder, Result<OrderView>>
{
    /// <summary>Portals poll this: the view is cached per order until a save touches the order (ADR-0022).</summary>
    public async ValueTask<Result<OrderView>> Handle(GetPaymentOrder query, CancellationToken ct)
    {
        var key = query.Locator.OrderId is { } id ? ReadCache.Order(new PaymentOrderId(id)) : null;
        var baseUrl = urls.BaseUrl; // part of the view (its payment URL)
        if (key is not null && cache.TryGet<CachedView>(key, out var cached) && cached.BaseUrl == baseUrl)
            return cached.View.AgencyCode == query.Locator.AgencyCode ? cached.View : OrderQueries.OrderNotFound;

        var generation = key is null ? 0 : cache.Generation(key);
        var order = await db.LocateAsync(query.Locator, ct);
        if (order is null) return OrderQueries.OrderNotFound;
        var view = OrderView.From(order, await db.ValidReceiptOfAsync(order.Id, ct), urls);
        if (key is not null) cache.Put(key, generation, new CachedView(baseUrl, view));
        return view;
    }

    private sealed record CachedView(string BaseUrl, OrderView View);
}

public sealed record ListPaymentOrders(CallingClient Client, string? DossierCode) : IQuery<Result<OrderList>>;

public sealed record OrderList(IReadOnlyList<OrderView> Items);

public sealed class ListPaymentOrdersHandler(PaymentsDbContext db, PublicUrls urls) : IQueryHandler<ListPaymentOrders, Result<OrderList>>
{
    public async ValueTask<Result<OrderList>> Handle(ListPaymentOrders query, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query.DossierCode))
            return Error.Validation("dossier_code_required", "Give ?dossierCode= to list a dossier's orders.");
        var orders = await db.Orders.AsNoTracking().Include(o => o.Lines).AsSplitQuery()
            .Where(o => o.AgencyCode == query.Client.AgencyCode && o.DossierCode == query.DossierCode)
            .OrderByDescending(o => o.CreatedAt).Take(100).ToListAsync(ct);
        var ids = orders.Select(o => o.Id).ToList();
        var receipts = await db.Receipts.AsNoTracking().Where(r => ids.Contains(r.OrderId) && r.Status == ReceiptStatus.Valid)
            .ToDictionaryAsync(r => r.OrderId, ct);
        return new OrderList(orders.Select(o => OrderView.From(o, receipts.GetValueOrDefault(o.Id), urls)).ToList());
    }
}

internal static class GetPaymentOrderEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/payment-orders/{id:guid}", async (Guid id, HttpContext http, ISender sender, CancellationToken ct) =>
                (await sender.Send(new GetPaymentOrder(OrderLocator.ForClient(id, CallingClient.From(http.User).AgencyCode)), ct))
                .Map(Results.Ok))
            .WithName("GetPaymentOrder").Produces<OrderView>().ProducesProblem(404);

        api.MapGet("/payment-orders", async (string? dossierCode, HttpContext http, ISender sender, CancellationToken ct) =>
                (await sender.Send(new ListPaymentOrders(CallingClient.From(http.User), dossierCode), ct)).Map(Results.Ok))
            .WithName("ListPaymentOrders").Produces<OrderList>().ProducesProblem(400);
    }
}
