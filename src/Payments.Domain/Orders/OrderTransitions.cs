using Payments.Domain.Common;

namespace Payments.Domain.Orders;

public enum OrderStatus
{
    Created,
    AwaitingPayment,
    Paid,
    PartiallyRefunded,
    Refunded,
    Cancelled,
    Expired,
}

public enum OrderEvent
{
    StartAttempt,
    AttemptFailed,
    PaymentSucceeded,
    Cancel,
    Expire,
    PartialRefund,
    FullRefund,
}

/// <summary>
/// Every legal order state change as data: (from, event, to). <see cref="Apply"/> is the only place that decides;
/// anything not listed is an error. Terminal states (Refunded, Cancelled, Expired) have no outgoing edge.
/// </summary>
public static class OrderTransitions
{
    public static readonly IReadOnlyList<(OrderStatus From, OrderEvent Event, OrderStatus To)> Table =
    [
        (OrderStatus.Created, OrderEvent.StartAttempt, OrderStatus.AwaitingPayment),
        (OrderStatus.AwaitingPayment, OrderEvent.StartAttempt, OrderStatus.AwaitingPayment),
        (OrderStatus.AwaitingPayment, OrderEvent.AttemptFailed, OrderStatus.Created),
        // Created → Paid: a counter payment, or a late success of a superseded attempt after the current one failed.
        (OrderStatus.Created, OrderEvent.PaymentSucceeded, OrderStatus.Paid),
        (OrderStatus.AwaitingPayment, OrderEvent.PaymentSucceeded, OrderStatus.Paid),
        (OrderStatus.Created, OrderEvent.Cancel, OrderStatus.Cancelled),
        (OrderStatus.AwaitingPayment, OrderEvent.Cancel, OrderStatus.Cancelled),
        (OrderStatus.Created, OrderEvent.Expire, OrderStatus.Expired),
        (OrderStatus.AwaitingPayment, OrderEvent.Expire, OrderStatus.Expired),
        (OrderStatus.Paid, OrderEvent.PartialRefund, OrderStatus.PartiallyRefunded),
        (OrderStatus.PartiallyRefunded, OrderEvent.PartialRefund, OrderStatus.PartiallyRefunded),
        (OrderStatus.Paid, OrderEvent.FullRefund, OrderStatus.Refunded),
        (OrderStatus.PartiallyRefunded, OrderEvent.FullRefund, OrderStatus.Refunded),
    ];

    private static readonly Dictionary<(OrderStatus, OrderEvent), OrderStatus> Edges =
        Table.ToDictionary(t => (t.From, t.Event), t => t.To);

    public static Result<OrderStatus> Apply(OrderStatus from, OrderEvent @event) =>
        Edges.TryGetValue((from, @event), out var to)
            ? to
            : Error.Conflict("illegal_transition",
                $"An order that is {from.ToSnakeCase()} cannot take '{@event}'.");

    public static bool IsTerminal(OrderStatus status) => Table.All(t => t.From != status);

    /// <summary>Open = money may still be collected for it.</summary>
    public static bool IsOpen(OrderStatus status) => status is OrderStatus.Created or OrderStatus.AwaitingPayment;

    public static string ToSnakeCase(this OrderStatus status) => status switch
    {
        OrderStatus.Created => "created",
        OrderStatus.AwaitingPayment => "awaiting_payment",
        OrderStatus.Paid => "paid",
        OrderStatus.PartiallyRefunded => "partially_refunded",
        OrderStatus.Refunded => "refunded",
        OrderStatus.Cancelled => "cancelled",
        OrderStatus.Expired => "expired",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>The table as a Mermaid state diagram, for humans (docs/STATES.md is generated from it by a test).</summary>
    public static string ToMermaid() =>
        "stateDiagram-v2\n" + string.Join("\n", Table.Select(t => $"    {t.From} --> {t.To}: {t.Event}"));
}
