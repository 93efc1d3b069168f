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
    /// <summary>Paid in the system, but the statement shows no money for it.</summary>
    MissingCredit,
}

/// <summary>Open → (write-off requested → approved) → resolved. Nothing is deleted.</summary>
public enum ReconciliationStatus { Open, Resolved, AwaitingApproval }

public enum ReconciliationResolution
{
    /// <summary>The money paid an open order: receipt and revenue as for any payment.</summary>
    LinkedToOrder,
    /// <summary>The money goes back to the payer: moved to refund review.</summary>
    MarkedForRefund,
    /// <summary>Finance approved writing it off (unclaimed money to other income; a shortfall to a loss).</summary>
    WrittenOff,
    /// <summary>A later statement showed the money after all.</summary>
    MatchedLater,
}

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
        Held = amount;
        Shortfall = Money.Zero(amount.Currency);
    }

    /// <summary>An item found by reconciling a statement; <paramref name="held"/> is what was parked in suspense for it.</summary>
    public static ReconciliationItem FromStatement(Guid importId, string source, string bankTxnId, string account, Money amount, string content,
        DateTimeOffset bookedAt, ReconciliationKind kind, PaymentOrderId? orderId, Money? expected, Money held, Money shortfall, DateTimeOffset now) =>
        new(source, bankTxnId, account, amount, content, bookedAt, kind, orderId, expected, now) { StatementImportId = importId, Held = held, Shortfall = shortfall };

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

    /// <summary>The statement import that found this item; null when the bank's notification did.</summary>
    public Guid? StatementImportId { get; private set; }
    /// <summary>Money parked in suspense:unmatched-credits for this item (what the bank has and the books could not place).</summary>
    public Money Held { get; private set; }
    /// <summary>Money the books say arrived and the bank does not show (missing credit, or paid less than recorded).</summary>
    public Money Shortfall { get; private set; }
    public ReconciliationResolution? Resolution { get; private set; }
    public string? ResolutionReason { get; private set; }
    public string? ResolvedBy { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public string? WriteOffRequestedBy { get; private set; }
    public PaymentOrderId? LinkedOrderId { get; private set; }

    public Result<bool> Resolve(ReconciliationResolution resolution, string reason, string by, DateTimeOffset now, PaymentOrderId? linkedOrder = null)
    {
        if (Status == ReconciliationStatus.Resolved) return Error.Conflict("item_resolved", "This item is already resolved.");
        if (string.IsNullOrWhiteSpace(reason)) return Error.Validation("reason_required", "A reason is required.");
        switch (resolution)
        {
            case ReconciliationResolution.LinkedToOrder when Kind != ReconciliationKind.UnknownCredit || Held.IsZero:
                return Error.Conflict("cannot_link", "Only money that no order took (an unknown credit) can be linked to an order.");
            case ReconciliationResolution.MarkedForRefund when Held.IsZero:
                return Error.Conflict("nothing_to_refund", "No money of this item is held: there is nothing to refund.");
            case ReconciliationResolution.WrittenOff when Status != ReconciliationStatus.AwaitingApproval:
                return Error.Conflict("approval_required", "A write-off is requested first and approved by finance.");
            case ReconciliationResolution.WrittenOff when WriteOffRequestedBy == by:
                return Error.Conflict("four_eyes", "The person who asked for the write-off cannot approve it.");
        }
        (Status, Resolution, ResolutionReason, ResolvedBy, ResolvedAt, LinkedOrderId) =
            (ReconciliationStatus.Resolved, resolution, reason.Trim(), by, now, linkedOrder);
        return true;
    }

    public Result<bool> RequestWriteOff(string reason, string by)
    {
        if (Status != ReconciliationStatus.Open) return Error.Conflict("item_not_open", "Only an open item can be proposed for write-off.");
        if (string.IsNullOrWhiteSpace(reason)) return Error.Validation("reason_required", "A reason is required.");
        (Status, WriteOffRequestedBy, ResolutionReason) = (ReconciliationStatus.AwaitingApproval, by, reason.Trim());
        return true;
    }

    /// <summary>Partial (less than due) or excess (more than due); null for unknown credits.</summary>
    public string? Direction => ExpectedAmount is { } e ? (Amount < e ? "partial" : "excess") : null;
}
