using Payments.Domain.Common;

namespace Payments.Domain.Reconciliation;

public enum ReconciliationKind
{
    /// <summary>Money with no order: no payment code, or one we do not know.</summary>
    UnknownCredit,
    /// <summary>Money for a known order, but not its amount (partial or excess).</summary>
    AmountMismatch,
    /// <summary>A second transfer for an order its payment code already paid: to be refunded.</summary>
    DuplicateCredit,
}

public enum ReconciliationStatus { Open, Resolved }

/// <summary>Money that arrived and could not be applied automatically; a cashier resolves it ([5/8]).</summary>
public sealed class ReconciliationItem
{
    private ReconciliationItem() { Source = BankTxnId = Account = Content = ""; }

    public ReconciliationItem(string source, string bankTxnId, string account, Money amount, string content, DateTimeOffset bookedAt,
        ReconciliationKind kind, PaymentOrderId? orderId, Money? expected, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        Source = source;
        BankTxnId = bankTxnId;
        Account = account;
        Amount = amount;
        Content = content.Length > 500 ? content[..500] : content;
        BookedAt = bookedAt;
        Kind = kind;
        OrderId = orderId;
        ExpectedAmount = expected;
        Status = ReconciliationStatus.Open;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string Source { get; private set; }
    public string BankTxnId { get; private set; }
    public string Account { get; private set; }
    public Money Amount { get; private set; }
    public string Content { get; private set; }
    public DateTimeOffset BookedAt { get; private set; }
    public ReconciliationKind Kind { get; private set; }
    public PaymentOrderId? OrderId { get; private set; }
    public Money? ExpectedAmount { get; private set; }
    public ReconciliationStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Partial (less than due) or excess (more than due); null for unknown credits.</summary>
    public string? Direction => ExpectedAmount is { } e ? (Amount < e ? "partial" : "excess") : null;
}
