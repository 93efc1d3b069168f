using Payments.Domain.Common;
using Payments.Domain.Fees;

namespace Payments.Domain.Orders;

/// <summary>What recording a provider's success did to the order.</summary>
public enum SuccessOutcome
{
    /// <summary>The order is now paid: issue the receipt and post the payment.</summary>
    Paid,
    /// <summary>The order was already paid by another transaction: money to refund review.</summary>
    DuplicatePayment,
    /// <summary>The order was cancelled or expired before the money arrived: money to refund review.</summary>
    LatePayment,
}

/// <summary>
/// A request to collect a dossier's fees. Status changes go through <see cref="OrderTransitions"/> only.
/// </summary>
public sealed class PaymentOrder
{
    private readonly List<OrderLine> _lines = [];
    private readonly List<PaymentAttempt> _attempts = [];

    private PaymentOrder()
    {
        AgencyCode = DossierCode = ProcedureCode = PayToken = "";
        Payer = null!;
    }

    public PaymentOrderId Id { get; private set; }
    public Guid ClientId { get; private set; }
    public string AgencyCode { get; private set; }
    public string DossierCode { get; private set; }
    public string ProcedureCode { get; private set; }
    public Payer Payer { get; private set; }
    public Channel Channel { get; private set; }
    public Money Amount { get; private set; }
    public Money RefundedAmount { get; private set; }
    public OrderStatus Status { get; private set; }
    /// <summary>Unguessable token of the citizen's payment page; never the id.</summary>
    public string PayToken { get; private set; }
    public string? ReturnUrl { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    /// <summary>Money arrived that this order cannot keep (second or late success): finance must review a refund.</summary>
    public bool RequiresRefundReview { get; private set; }
    /// <summary>Optimistic concurrency token: bumped on every change.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<OrderLine> Lines => _lines;
    public IReadOnlyList<PaymentAttempt> Attempts => _attempts;

    public bool IsExempt => Amount.IsZero;

    public static Result<PaymentOrder> Create(Guid clientId, string agencyCode, string dossierCode, string procedureCode,
        Payer payer, Channel channel, IReadOnlyList<FeeLine> fees, string payToken, string? returnUrl,
        DateTimeOffset now, TimeSpan lifetime)
    {
        if (fees.Count == 0) return Error.Validation("no_fees", "An order needs at least one fee line.");
        if (lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime));
        var currency = fees[0].Amount.Currency;
        var total = Money.Zero(currency);
        foreach (var f in fees) total += f.Amount; // throws on mixed currencies: the catalogue is single-currency.

        var order = new PaymentOrder
        {
            Id = PaymentOrderId.New(),
            ClientId = clientId,
            AgencyCode = agencyCode,
            DossierCode = dossierCode,
            ProcedureCode = procedureCode,
            Payer = payer,
            Channel = channel,
            Amount = total,
            RefundedAmount = Money.Zero(currency),
            Status = OrderStatus.Created,
            PayToken = payToken,
            ReturnUrl = returnUrl,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        for (var i = 0; i < fees.Count; i++) order._lines.Add(new OrderLine(i + 1, fees[i]));
        // An exempt dossier (all fees zero) is settled at once: nothing to collect, so no receipt and no posting.
        if (total.IsZero)
        {
            order.Move(OrderEvent.PaymentSucceeded, now).ThrowIfFailed();
            order.PaidAt = now;
        }
        return order;
    }

    /// <summary>How long a payer has at a provider by default; never past the order's own expiry.</summary>
    public static readonly TimeSpan AttemptWindow = TimeSpan.FromMinutes(15);

    public Result<PaymentAttempt> StartAttempt(string provider, string providerReference, DateTimeOffset now, TimeSpan? window = null)
    {
        if (OrderTransitions.IsOpen(Status) && now >= ExpiresAt)
            return Error.Conflict("order_expired", "The order has expired; the portal must create a new one.");
        var moved = Move(OrderEvent.StartAttempt, now);
        if (!moved.IsSuccess) return moved.Error!;
        foreach (var a in _attempts) a.Supersede();
        var until = now + (window ?? AttemptWindow);
        var attempt = new PaymentAttempt(Id, provider, providerReference, Amount, now, until < ExpiresAt ? until : ExpiresAt);
        _attempts.Add(attempt);
        return attempt;
    }

    /// <summary>The provider reported a failure or a payer's cancel for this attempt.</summary>
    public Result RecordFailure(PaymentAttemptId attemptId, string failureCode, bool cancelledByPayer, DateTimeOffset now)
    {
        var attempt = FindAttempt(attemptId);
        if (!attempt.IsUndecided)
            return Error.Conflict("attempt_already_decided", $"The attempt is already {attempt.Status}.");
        var wasCurrent = attempt.Status == AttemptStatus.Pending;
        attempt.Fail(failureCode, cancelledByPayer, now);
        // Only the current attempt's failure makes the order payable again; a superseded one changes nothing.
        if (wasCurrent && Status == OrderStatus.AwaitingPayment)
            return Move(OrderEvent.AttemptFailed, now);
        return Result.Ok();
    }

    /// <summary>The provider confirmed money for this attempt. Never ignored: if the order cannot take it, it is flagged.</summary>
    public Result<SuccessOutcome> RecordSuccess(PaymentAttemptId attemptId, string providerTransactionId, DateTimeOffset now)
    {
        var attempt = FindAttempt(attemptId);
        if (attempt.Status == AttemptStatus.Succeeded)
            return Error.Conflict("already_confirmed", "This attempt was already confirmed.");
        attempt.Succeed(providerTransactionId, now);
        if (OrderTransitions.IsOpen(Status))
        {
            Move(OrderEvent.PaymentSucceeded, now).ThrowIfFailed();
            PaidAt = now;
            return SuccessOutcome.Paid;
        }
        RequiresRefundReview = true;
        Version++;
        return Status is OrderStatus.Cancelled or OrderStatus.Expired ? SuccessOutcome.LatePayment : SuccessOutcome.DuplicatePayment;
    }

    /// <summary>A cashier took the money at the desk: the attempt is recorded already succeeded.</summary>
    public Result<PaymentAttempt> RecordCounterPayment(string method, string reference, string cashier, DateTimeOffset now)
    {
        if (!OrderTransitions.IsOpen(Status))
            return Error.Conflict("order_not_payable", $"The order is {Status.ToSnakeCase()}; take no money for it.");
        // As online: an order past its expiry takes no new payment, even before the janitor has marked it expired.
        if (now >= ExpiresAt)
            return Error.Conflict("order_expired", "The order has expired; the portal must create a new one.");
        var moved = Move(OrderEvent.PaymentSucceeded, now);
        if (!moved.IsSuccess) return moved.Error!;
        foreach (var a in _attempts) a.Supersede();
        var attempt = PaymentAttempt.AtCounter(Id, reference, Amount, method, cashier, now);
        attempt.Succeed(reference, now);
        _attempts.Add(attempt);
        PaidAt = now;
        return attempt;
    }

    /// <summary>The provider never decided and no longer knows the attempt: treat it as failed (abandoned).</summary>
    public Result AbandonAttempt(PaymentAttemptId attemptId, DateTimeOffset now) =>
        RecordFailure(attemptId, "abandoned", cancelledByPayer: false, now);

    /// <summary>Expiry is only safe when no attempt may still bring money: undecided attempts are settled first.</summary>
    public bool CanExpire(DateTimeOffset now) =>
        OrderTransitions.IsOpen(Status) && now >= ExpiresAt && _attempts.All(a => !a.IsUndecided);

    /// <summary>Money was collected but its receipt was cancelled: it must be refunded or receipted again.</summary>
    public void FlagForRefundReview()
    {
        RequiresRefundReview = true;
        Version++;
    }

    public Result Cancel(DateTimeOffset now) =>
        Status is OrderStatus.Paid or OrderStatus.PartiallyRefunded or OrderStatus.Refunded
            ? Error.Conflict("order_already_paid", "A paid order cannot be cancelled; refund it instead.")
            : Move(OrderEvent.Cancel, now);

    public Result Expire(DateTimeOffset now) =>
        now < ExpiresAt ? Error.Conflict("order_not_due", "The order has not reached its expiry time.") : Move(OrderEvent.Expire, now);

    public Result Refund(Money amount, DateTimeOffset now)
    {
        if (amount.Minor <= 0) return Error.Validation("invalid_refund_amount", "A refund must be positive.");
        if (amount.Currency != Amount.Currency) return Error.Validation("currency_mismatch", "Refund currency differs from the order's.");
        var remaining = Amount - RefundedAmount;
        if (amount > remaining)
            return Error.Conflict("refund_exceeds_payment", $"At most {remaining.ToDisplayString()} can still be refunded.");
        var moved = Move(amount == remaining ? OrderEvent.FullRefund : OrderEvent.PartialRefund, now);
        if (moved.IsSuccess) RefundedAmount += amount;
        return moved;
    }

    public PaymentAttempt FindAttempt(PaymentAttemptId id) =>
        _attempts.FirstOrDefault(a => a.Id == id) ?? throw new InvalidOperationException($"Attempt {id} is not on order {Id}.");

    private Result Move(OrderEvent @event, DateTimeOffset now)
    {
        var to = OrderTransitions.Apply(Status, @event);
        if (!to.IsSuccess) return to.Error!;
        Status = to.Value;
        if (OrderTransitions.IsTerminal(Status)) ClosedAt = now;
        Version++;
        return Result.Ok();
    }
}

internal static class ResultExtensions
{
    public static void ThrowIfFailed(this Result result)
    {
        if (!result.IsSuccess) throw new InvalidOperationException($"Invariant broken: {result.Error!.Message}");
    }
}
