using Payments.Domain.Common;

namespace Payments.Domain.Orders;

public enum AttemptStatus
{
    Pending,
    /// <summary>A newer attempt was started; this one may still be confirmed by its provider.</summary>
    Superseded,
    Succeeded,
    Failed,
    CancelledByPayer,
}

/// <summary>One try at paying an order through one provider. Its reference is what the provider sends back.</summary>
public sealed class PaymentAttempt
{
    private PaymentAttempt() { Provider = ProviderReference = ""; }

    internal PaymentAttempt(PaymentOrderId orderId, string provider, string providerReference, Money amount, DateTimeOffset now,
        DateTimeOffset expiresAt)
    {
        ExpiresAt = expiresAt;
        Id = PaymentAttemptId.New();
        OrderId = orderId;
        Provider = provider;
        ProviderReference = providerReference;
        Amount = amount;
        Status = AttemptStatus.Pending;
        CreatedAt = now;
    }

    public PaymentAttemptId Id { get; private set; }
    public PaymentOrderId OrderId { get; private set; }
    public string Provider { get; private set; }
    public string ProviderReference { get; private set; }
    public Money Amount { get; private set; }
    public AttemptStatus Status { get; private set; }
    public string? ProviderTransactionId { get; private set; }
    public string? FailureCode { get; private set; }
    /// <summary>The provider's own id of the payment it set up (e.g. a Stripe PaymentIntent), when it has one.</summary>
    public string? ProviderIntentId { get; private set; }

    public void RecordIntent(string intentId)
    {
        if (ProviderIntentId is not null && ProviderIntentId != intentId) throw new InvalidOperationException("The attempt already has an intent.");
        ProviderIntentId = intentId;
    }

    /// <summary>Counter payments: cash, pos or wallet_qr.</summary>
    public string? Method { get; private set; }
    /// <summary>Counter payments: the cashier who took the money.</summary>
    public string? RecordedBy { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>When the payer's window at the provider closes; after it the janitor asks the provider.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    internal static PaymentAttempt AtCounter(PaymentOrderId orderId, string reference, Money amount, string method, string cashier, DateTimeOffset now) =>
        new(orderId, CounterProvider, reference, amount, now, now) { Method = method, RecordedBy = cashier };

    public const string CounterProvider = "counter";

    /// <summary>Not yet decided by its provider (a superseded attempt can still be paid).</summary>
    public bool IsUndecided => Status is AttemptStatus.Pending or AttemptStatus.Superseded;

    internal void Supersede() { if (Status == AttemptStatus.Pending) Status = AttemptStatus.Superseded; }

    /// <summary>Money speaks: a success is recorded even after a failure report, never the other way round.</summary>
    internal void Succeed(string providerTransactionId, DateTimeOffset now)
    {
        if (Status == AttemptStatus.Succeeded) throw new InvalidOperationException("Attempt already succeeded.");
        Status = AttemptStatus.Succeeded;
        ProviderTransactionId = providerTransactionId;
        FailureCode = null;
        CompletedAt = now;
    }

    internal void Fail(string failureCode, bool cancelledByPayer, DateTimeOffset now)
    {
        if (!IsUndecided) throw new InvalidOperationException($"Attempt is already {Status}.");
        Status = cancelledByPayer ? AttemptStatus.CancelledByPayer : AttemptStatus.Failed;
        FailureCode = failureCode;
        CompletedAt = now;
    }
}
