using System.Text.Json;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.Callbacks;

/// <summary>Outbox messages about an order, for the portal (delivered by the outbox worker).</summary>
public static class OrderEvents
{
    public static OutboxMessage Event(string type, PaymentOrder order, Receipt? receipt, DateTimeOffset now) => new()
    {
        Type = type,
        AggregateId = order.Id.ToString(),
        CreatedAt = now,
        PayloadJson = JsonSerializer.Serialize(new
        {
            type,
            orderId = order.Id.Value,
            order.DossierCode,
            status = order.Status.ToSnakeCase(),
            amount = new { value = order.Amount.Minor, currency = order.Amount.Currency.Code },
            receipt = receipt is null ? null : new { id = receipt.Id.Value, receipt.TemplateSymbol, series = receipt.Series, number = receipt.Number },
            occurredAt = now,
        }, Json.Web),
    };
}
