using Payments.Domain.Orders;

namespace Payments.Domain.Tests;

/// <summary>Every (status, event) pair: the table's edges are legal, every other pair is an error.</summary>
public class OrderTransitionsTests
{
    private static readonly Dictionary<(OrderStatus, OrderEvent), OrderStatus> Expected = new()
    {
        [(OrderStatus.Created, OrderEvent.StartAttempt)] = OrderStatus.AwaitingPayment,
        [(OrderStatus.AwaitingPayment, OrderEvent.StartAttempt)] = OrderStatus.AwaitingPayment,
        [(OrderStatus.AwaitingPayment, OrderEvent.AttemptFailed)] = OrderStatus.Created,
        [(OrderStatus.Created, OrderEvent.PaymentSucceeded)] = OrderStatus.Paid,
        [(OrderStatus.AwaitingPayment, OrderEvent.PaymentSucceeded)] = OrderStatus.Paid,
        [(OrderStatus.Created, OrderEvent.Cancel)] = OrderStatus.Cancelled,
        [(OrderStatus.AwaitingPayment, OrderEvent.Cancel)] = OrderStatus.Cancelled,
        [(OrderStatus.Created, OrderEvent.Expire)] = OrderStatus.Expired,
        [(OrderStatus.AwaitingPayment, OrderEvent.Expire)] = OrderStatus.Expired,
        [(OrderStatus.Paid, OrderEvent.PartialRefund)] = OrderStatus.PartiallyRefunded,
        [(OrderStatus.PartiallyRefunded, OrderEvent.PartialRefund)] = OrderStatus.PartiallyRefunded,
        [(OrderStatus.Paid, OrderEvent.FullRefund)] = OrderStatus.Refunded,
        [(OrderStatus.PartiallyRefunded, OrderEvent.FullRefund)] = OrderStatus.Refunded,
    };

    public static IEnumerable<object[]> AllPairs() =>
        from s in Enum.GetValues<OrderStatus>() from e in Enum.GetValues<OrderEvent>() select new object[] { s, e };

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Each_pair_is_legal_exactly_when_the_design_says_so(OrderStatus from, OrderEvent @event)
    {
        var result = OrderTransitions.Apply(from, @event);
        if (Expected.TryGetValue((from, @event), out var to))
        {
            Assert.True(result.IsSuccess, $"{from} --{@event}--> should be legal");
            Assert.Equal(to, result.Value);
        }
        else
        {
            Assert.False(result.IsSuccess, $"{from} --{@event}--> should be illegal");
            Assert.Equal("illegal_transition", result.Error!.Code);
        }
    }

    [Theory]
    [InlineData(OrderStatus.Refunded)]
    [InlineData(OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Expired)]
    public void Terminal_states_never_go_back(OrderStatus status)
    {
        Assert.True(OrderTransitions.IsTerminal(status));
        Assert.All(Enum.GetValues<OrderEvent>(), e => Assert.False(OrderTransitions.Apply(status, e).IsSuccess));
    }

    [Fact]
    public void Statuses_serialise_as_the_contract_names() =>
        Assert.Equal(
            ["created", "awaiting_payment", "paid", "partially_refunded", "refunded", "cancelled", "expired"],
            Enum.GetValues<OrderStatus>().Select(s => s.ToSnakeCase()));

    [Fact]
    public void The_table_renders_as_a_diagram() =>
        Assert.Contains("Created --> AwaitingPayment: StartAttempt", OrderTransitions.ToMermaid());
}
