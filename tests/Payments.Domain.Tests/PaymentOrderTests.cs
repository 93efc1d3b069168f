using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Orders;
using static Payments.Domain.Tests.TestData;

namespace Payments.Domain.Tests;

public class PaymentOrderTests
{
    [Fact]
    public void Create_totals_the_lines_with_the_online_discount()
    {
        var o = Order(Licence, CriminalRecord);
        Assert.Equal(Money.Vnd(135_000 + 100_000), o.Amount);
        Assert.Equal(OrderStatus.Created, o.Status);
        Assert.Equal(Now.AddDays(1), o.ExpiresAt);
    }

    [Fact]
    public void Counter_submission_gets_no_online_discount()
    {
        var line = CriminalRecord.Quote(2, Channel.Counter, new DateOnly(2026, 11, 23)).Value;
        Assert.Equal(Money.Vnd(400_000), line.Amount);
        Assert.Equal(Money.Vnd(0), line.Discount);
    }

    [Fact]
    public void Discount_applies_only_inside_its_date_range()
    {
        var fee = new FeeItem("X", "X", FeeKind.Phi, Money.Vnd(100_000), "b", "AG1", 50, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));
        Assert.Equal(50, fee.DiscountPercentFor(Channel.Online, new DateOnly(2026, 6, 1)));
        Assert.Equal(0, fee.DiscountPercentFor(Channel.Online, new DateOnly(2027, 1, 1)));
        Assert.Equal(0, fee.DiscountPercentFor(Channel.Online, new DateOnly(2025, 12, 31)));
    }

    [Fact]
    public void An_exempt_order_is_settled_at_once()
    {
        var o = Order(new FeeItem("KS", "Khai sinh", FeeKind.LePhi, Money.Vnd(0), "Luật Hộ tịch", "AG1"));
        Assert.Equal(OrderStatus.Paid, o.Status);
        Assert.True(o.IsExempt);
        Assert.NotNull(o.PaidAt);
    }

    [Fact]
    public void Starting_an_attempt_awaits_payment_and_supersedes_the_previous()
    {
        var o = Order();
        var first = o.StartAttempt("sandbox", "R1", Now).Value;
        var second = o.StartAttempt("sandbox", "R2", Now).Value;
        Assert.Equal(OrderStatus.AwaitingPayment, o.Status);
        Assert.Equal(AttemptStatus.Superseded, first.Status);
        Assert.Equal(AttemptStatus.Pending, second.Status);
        Assert.Equal(o.Amount, second.Amount);
    }

    [Fact]
    public void An_expired_order_takes_no_attempt() =>
        Assert.Equal("order_expired", Order().StartAttempt("sandbox", "R1", Now.AddDays(2)).Error!.Code);

    [Fact]
    public void A_failed_current_attempt_makes_the_order_payable_again()
    {
        var o = Order();
        var a = o.StartAttempt("sandbox", "R1", Now).Value;
        Assert.True(o.RecordFailure(a.Id, "51", false, Now).IsSuccess);
        Assert.Equal(OrderStatus.Created, o.Status);
        Assert.Equal(AttemptStatus.Failed, a.Status);
        Assert.True(o.StartAttempt("sandbox", "R2", Now).IsSuccess);
    }

    [Fact]
    public void A_superseded_attempt_failing_leaves_the_current_one_alone()
    {
        var o = Order();
        var first = o.StartAttempt("sandbox", "R1", Now).Value;
        o.StartAttempt("sandbox", "R2", Now);
        Assert.True(o.RecordFailure(first.Id, "24", true, Now).IsSuccess);
        Assert.Equal(OrderStatus.AwaitingPayment, o.Status);
        Assert.Equal(AttemptStatus.CancelledByPayer, first.Status);
    }

    [Fact]
    public void A_decided_attempt_cannot_fail_again()
    {
        var o = Order();
        var a = o.StartAttempt("sandbox", "R1", Now).Value;
        o.RecordFailure(a.Id, "51", false, Now);
        Assert.Equal("attempt_already_decided", o.RecordFailure(a.Id, "51", false, Now).Error!.Code);
    }

    [Fact]
    public void Success_pays_the_order_once()
    {
        var o = Order();
        var a = o.StartAttempt("sandbox", "R1", Now).Value;
        Assert.Equal(SuccessOutcome.Paid, o.RecordSuccess(a.Id, "T1", Now).Value);
        Assert.Equal(OrderStatus.Paid, o.Status);
        Assert.Equal("T1", a.ProviderTransactionId);
        Assert.Equal("already_confirmed", o.RecordSuccess(a.Id, "T1", Now).Error!.Code);
    }

    [Fact]
    public void Success_of_a_superseded_attempt_still_pays_an_open_order()
    {
        var o = Order();
        var first = o.StartAttempt("sandbox", "R1", Now).Value;
        o.StartAttempt("sandbox", "R2", Now);
        Assert.Equal(SuccessOutcome.Paid, o.RecordSuccess(first.Id, "T1", Now).Value);
    }

    [Fact]
    public void Money_speaks_a_success_after_a_failure_report_is_recorded()
    {
        var o = Order();
        var a = o.StartAttempt("sandbox", "R1", Now).Value;
        o.RecordFailure(a.Id, "99", false, Now);
        Assert.Equal(SuccessOutcome.Paid, o.RecordSuccess(a.Id, "T1", Now).Value);
        Assert.Equal(AttemptStatus.Succeeded, a.Status);
    }

    [Fact]
    public void A_second_success_is_flagged_for_refund_review_and_stays_paid()
    {
        var o = Order();
        var first = o.StartAttempt("sandbox", "R1", Now).Value;
        var second = o.StartAttempt("sandbox", "R2", Now).Value;
        o.RecordSuccess(second.Id, "T2", Now);
        Assert.Equal(SuccessOutcome.DuplicatePayment, o.RecordSuccess(first.Id, "T1", Now).Value);
        Assert.Equal(OrderStatus.Paid, o.Status);
        Assert.True(o.RequiresRefundReview);
    }

    [Theory]
    [InlineData(OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Expired)]
    public void A_late_success_is_flagged_and_does_not_reopen(OrderStatus closed)
    {
        var o = Order();
        var a = o.StartAttempt("sandbox", "R1", Now).Value;
        if (closed == OrderStatus.Cancelled) o.Cancel(Now); else o.Expire(Now.AddDays(2));
        Assert.Equal(SuccessOutcome.LatePayment, o.RecordSuccess(a.Id, "T1", Now.AddDays(2)).Value);
        Assert.Equal(closed, o.Status);
        Assert.True(o.RequiresRefundReview);
    }

    [Fact]
    public void A_paid_order_cannot_be_cancelled() =>
        Assert.Equal("order_already_paid", OrderIn(OrderStatus.Paid).Cancel(Now).Error!.Code);

    [Fact]
    public void An_order_does_not_expire_early() =>
        Assert.Equal("order_not_due", Order().Expire(Now.AddHours(1)).Error!.Code);

    [Fact]
    public void Refunds_never_exceed_the_payment()
    {
        var o = OrderIn(OrderStatus.Paid);
        Assert.True(o.Refund(Money.Vnd(35_000), Now).IsSuccess);
        Assert.Equal(OrderStatus.PartiallyRefunded, o.Status);
        Assert.Equal("refund_exceeds_payment", o.Refund(Money.Vnd(100_001), Now).Error!.Code);
        Assert.True(o.Refund(Money.Vnd(100_000), Now).IsSuccess);
        Assert.Equal(OrderStatus.Refunded, o.Status);
        Assert.False(o.Refund(Money.Vnd(1), Now).IsSuccess);
    }

    [Theory]
    [InlineData(OrderStatus.Created)]
    [InlineData(OrderStatus.AwaitingPayment)]
    [InlineData(OrderStatus.Cancelled)]
    public void Unpaid_orders_cannot_be_refunded(OrderStatus status) =>
        Assert.False(OrderIn(status).Refund(Money.Vnd(1), Now).IsSuccess);

    [Fact]
    public void Every_change_bumps_the_concurrency_version()
    {
        var o = Order();
        var v0 = o.Version;
        o.StartAttempt("sandbox", "R1", Now);
        Assert.True(o.Version > v0);
    }

    [Theory]
    [InlineData("001088012345", true)]
    [InlineData("00108801234", false)]
    [InlineData("0010880123456", false)]
    [InlineData("00108801234a", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Cccd_is_exactly_12_digits(string? id, bool valid) => Assert.Equal(valid, Orders.Payer.IsValidCccd(id));

    [Fact]
    public void Id_numbers_are_masked_for_display() => Assert.Equal("********2345", Citizen.MaskedIdNumber);
}
