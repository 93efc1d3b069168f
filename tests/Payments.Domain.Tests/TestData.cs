using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Orders;

namespace Payments.Domain.Tests;

internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    public static readonly Payer Citizen = new("Nguyễn Văn An", "001088012345", null, null, "Hà Nội");

    public static FeeItem Licence => new("GPLX", "Lệ phí cấp GPLX", FeeKind.LePhi, Money.Vnd(135_000), "TT 37/2023", "AG1");
    public static FeeItem CriminalRecord => new("LLTP", "Phí LLTP", FeeKind.Phi, Money.Vnd(200_000), "TT 244/2016", "AG1", onlineDiscountPercent: 50);

    public static PaymentOrder Order(params FeeItem[] fees)
    {
        if (fees.Length == 0) fees = [Licence];
        var lines = fees.Select(f => f.Quote(1, Channel.Online, DateOnly.FromDateTime(Now.Date)).Value).ToList();
        return PaymentOrder.Create(Guid.NewGuid(), "AG1", "D-1", "P-1", Citizen, Channel.Online, lines, "tok", null, Now, TimeSpan.FromDays(1)).Value;
    }

    /// <summary>Drives a fresh order into the given status through legal steps only.</summary>
    public static PaymentOrder OrderIn(OrderStatus status)
    {
        var o = Order();
        var at = Now.AddMinutes(1);
        switch (status)
        {
            case OrderStatus.Created: break;
            case OrderStatus.AwaitingPayment: o.StartAttempt("sandbox", "R1", at); break;
            case OrderStatus.Paid: Pay(o); break;
            case OrderStatus.PartiallyRefunded: Pay(o); Assert.True(o.Refund(Money.Vnd(1_000), at).IsSuccess); break;
            case OrderStatus.Refunded: Pay(o); Assert.True(o.Refund(o.Amount, at).IsSuccess); break;
            case OrderStatus.Cancelled: Assert.True(o.Cancel(at).IsSuccess); break;
            case OrderStatus.Expired: Assert.True(o.Expire(Now.AddDays(2)).IsSuccess); break;
        }
        Assert.Equal(status, o.Status);
        return o;
    }

    public static PaymentAttempt Pay(PaymentOrder o)
    {
        var a = o.StartAttempt("sandbox", "R" + o.Attempts.Count, Now.AddMinutes(1)).Value;
        Assert.Equal(SuccessOutcome.Paid, o.RecordSuccess(a.Id, "TXN" + o.Attempts.Count, Now.AddMinutes(2)).Value);
        return a;
    }
}
