using Payments.Domain.Common;

namespace Payments.Domain.Orders;

/// <summary>Money given back for a paid order, through the provider that took it (or in cash at the desk).</summary>
public sealed class Refund
{
    private Refund() { Provider = Reason = RequestId = RequestedBy = ""; }

    public Refund(PaymentOrderId orderId, PaymentAttemptId? attemptId, string provider, Money amount, string reason,
        string requestId, string requestedBy, string? providerRefundId, DateTimeOffset now)
    {
        if (amount.Minor <= 0) throw new ArgumentException("A refund is positive.", nameof(amount));
        Id = Guid.CreateVersion7();
        OrderId = orderId;
        AttemptId = attemptId;
        Provider = provider;
        Amount = amount;
        Reason = reason;
        RequestId = requestId;
        RequestedBy = requestedBy;
        ProviderRefundId = providerRefundId;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public PaymentOrderId OrderId { get; private set; }
    public PaymentAttemptId? AttemptId { get; private set; }
    public string Provider { get; private set; }
    public Money Amount { get; private set; }
    public string Reason { get; private set; }
    /// <summary>The provider's idempotency key for this refund: a retried call cannot refund twice.</summary>
    public string RequestId { get; private set; }
    public string RequestedBy { get; private set; }
    public string? ProviderRefundId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
