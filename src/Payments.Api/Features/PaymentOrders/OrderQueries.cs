using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.PaymentOrders;

/// <summary>How a caller reaches an order: a portal by id within its agency, a citizen by the page token.</summary>
public sealed record OrderLocator(Guid? OrderId, string? AgencyCode, string? PayToken)
{
    public static OrderLocator ForClient(Guid orderId, string agencyCode) => new(orderId, agencyCode, null);
    public static OrderLocator ForCitizen(string payToken) => new(null, null, payToken);
}

internal static class OrderQueries
{
    /// <summary>The whole aggregate; someone else's order is simply not found (its existence is not revealed).</summary>
    public static Task<PaymentOrder?> LocateAsync(this PaymentsDbContext db, OrderLocator at, CancellationToken ct)
    {
        var q = db.Orders.Include(o => o.Lines).Include(o => o.Attempts).AsSplitQuery();
        if (at.PayToken is { } token) return q.FirstOrDefaultAsync(o => o.PayToken == token, ct);
        var id = new PaymentOrderId(at.OrderId ?? throw new ArgumentException("Locator without id or token."));
        return q.FirstOrDefaultAsync(o => o.Id == id && o.AgencyCode == at.AgencyCode, ct);
    }

    public static Task<Receipt?> ValidReceiptOfAsync(this PaymentsDbContext db, PaymentOrderId orderId, CancellationToken ct) =>
        db.Receipts.AsNoTracking().FirstOrDefaultAsync(r => r.OrderId == orderId && r.Status == ReceiptStatus.Valid, ct);

    public static readonly Error OrderNotFound = Error.NotFound("order_not_found", "No such payment order.");
}
