using Payments.Domain.Ledger;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;

namespace Payments.Api.Tests;

/// <summary>
/// What the service should hold after a sequence of operations, written from the contract (DESIGN.md) and not from
/// the service's code: order states, attempts, receipts with their numbers, refunds and journal entries per order.
/// </summary>
internal sealed class PaymentsModel(string seriesLetters)
{
    /// <summary>How long a payer has at the wallet, and how long the janitor then waits before abandoning an attempt.</summary>
    public static readonly TimeSpan AttemptWindow = TimeSpan.FromMinutes(15), AbandonAfter = TimeSpan.FromMinutes(15);

    public List<ModelOrder> Orders { get; } = [];
    /// <summary>Receipts issued per series symbol (letters + two-digit year of issue), cancelled and replaced ones included.</summary>
    public Dictionary<string, int> Issued { get; } = [];

    /// <summary>A provider confirmed money for <paramref name="attempt"/>: the order is paid, or the money goes to refund review.</summary>
    public SuccessOutcome Succeed(ModelOrder order, ModelAttempt attempt, bool walletKnows, DateTimeOffset now)
    {
        attempt.Status = AttemptStatus.Succeeded;
        attempt.WalletKnows = walletKnows;
        if (order.IsOpen)
        {
            order.Status = OrderStatus.Paid;
            order.Receipts.Add(Issue(attempt, now));
            order.Post(LedgerKind.Payment);
            return SuccessOutcome.Paid;
        }
        order.RefundReview = true;
        order.Post(LedgerKind.RefundReview);
        return order.Status is OrderStatus.Cancelled or OrderStatus.Expired ? SuccessOutcome.LatePayment : SuccessOutcome.DuplicatePayment;
    }

    /// <summary>The next number of the series for the Vietnamese year of <paramref name="now"/>.</summary>
    public ModelReceipt Issue(ModelAttempt attempt, DateTimeOffset now)
    {
        var series = $"{seriesLetters}{now.ToOffset(TimeSpan.FromHours(7)).Year % 100:00}";
        Issued[series] = Issued.GetValueOrDefault(series) + 1;
        return new ModelReceipt(series, Issued[series], attempt);
    }

    /// <summary>
    /// One janitor sweep at <paramref name="now"/>: undecided attempts past their window and the grace period are
    /// abandoned (the wallet never heard of them); open orders past expiry with nothing undecided expire.
    /// </summary>
    public void Sweep(DateTimeOffset now)
    {
        foreach (var order in Orders)
        foreach (var attempt in order.Attempts.Where(a => a.IsUndecided && a.ExpiresAt < now && now >= a.ExpiresAt + AbandonAfter))
            order.Fail(attempt, AttemptStatus.Failed);
        foreach (var order in Orders.Where(o => o.IsOpen && o.ExpiresAt <= now && o.Attempts.All(a => !a.IsUndecided)))
            order.Status = OrderStatus.Expired;
    }
}

internal sealed class ModelOrder(int index, string id, string key, object body, long amount, DateTimeOffset expiresAt)
{
    public int Index { get; } = index;
    public string Id { get; } = id;
    public string Key { get; } = key;
    public object Body { get; } = body;
    public long Amount { get; } = amount;
    public DateTimeOffset ExpiresAt { get; } = expiresAt;
    public OrderStatus Status { get; set; } = amount == 0 ? OrderStatus.Paid : OrderStatus.Created;
    public bool RefundReview { get; set; }
    public long Refunded { get; set; }
    public List<ModelAttempt> Attempts { get; } = [];
    public List<ModelReceipt> Receipts { get; } = [];
    /// <summary>Successful refunds as sent and the service's answer, for retries with the same key.</summary>
    public List<(string Key, long Amount, long? Expected, string Answer)> Refunds { get; } = [];
    public Dictionary<LedgerKind, int> Ledger { get; } = [];

    public bool IsOpen => Status is OrderStatus.Created or OrderStatus.AwaitingPayment;
    public bool IsCollected => Status is OrderStatus.Paid or OrderStatus.PartiallyRefunded or OrderStatus.Refunded;
    public ModelReceipt? ValidReceipt => Receipts.SingleOrDefault(r => r.Status == ReceiptStatus.Valid);
    public long Refundable => Amount - Refunded;

    public void Post(LedgerKind kind) => Ledger[kind] = Ledger.GetValueOrDefault(kind) + 1;

    /// <summary>Only the current attempt's failure makes an awaiting order payable again.</summary>
    public void Fail(ModelAttempt attempt, AttemptStatus status)
    {
        var wasCurrent = attempt.Status == AttemptStatus.Pending;
        attempt.Status = status;
        if (wasCurrent && Status == OrderStatus.AwaitingPayment) Status = OrderStatus.Created;
    }

    public override string ToString() => $"order#{Index} ({Status.ToSnakeCase()}, {Amount:N0} đ)";
}

internal sealed class ModelAttempt(int index, string reference, Uri? page, DateTimeOffset expiresAt)
{
    public int Index { get; } = index;
    public string Reference { get; } = reference;
    /// <summary>The simulated wallet's hosted page; null for a counter payment.</summary>
    public Uri? Page { get; } = page;
    public DateTimeOffset ExpiresAt { get; } = expiresAt;
    public AttemptStatus Status { get; set; } = AttemptStatus.Pending;
    /// <summary>The simulated wallet saw this payment succeed (paid on its page), so it will refund it.</summary>
    public bool WalletKnows { get; set; }
    public bool IsCounter => Page is null;
    public bool IsUndecided => Status is AttemptStatus.Pending or AttemptStatus.Superseded;
    /// <summary>Refunds through this attempt succeed: cash needs no provider, the wallet refunds what it took.</summary>
    public bool Refunds => IsCounter || WalletKnows;

    public override string ToString() => IsCounter ? "counter" : $"attempt#{Index} ({Status})";
}

internal sealed class ModelReceipt(string series, int number, ModelAttempt attempt)
{
    public string Series { get; } = series;
    public int Number { get; } = number;
    public ModelAttempt Attempt { get; } = attempt;
    public ReceiptStatus Status { get; set; } = ReceiptStatus.Valid;
    /// <summary>Learnt from the service once it shows the receipt.</summary>
    public string? Id { get; set; }

    public override string ToString() => $"{Series}-{Number} {Status}";
}
