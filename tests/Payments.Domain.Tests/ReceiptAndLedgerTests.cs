using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Ledger;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;
using static Payments.Domain.Tests.TestData;

namespace Payments.Domain.Tests;

public class ReceiptTests
{
    private static readonly Organisation Org = new("Sở Tư pháp", "0101234567", "Hà Nội");

    private static ReceiptSeries Series(int max = 9_999_999)
    {
        var s = new ReceiptSeries("AG1", "01BLP0-001", "BL", max);
        typeof(ReceiptSeries).GetProperty(nameof(ReceiptSeries.Id))!.SetValue(s, 7);
        return s;
    }

    [Fact]
    public void Numbers_run_1_to_n_in_a_series_year()
    {
        var series = Series();
        var counter = new ReceiptCounter(7, 2026);
        var numbers = Enumerable.Range(0, 5).Select(_ => counter.Next(series).Value).ToList();
        Assert.Equal([1, 2, 3, 4, 5], numbers);
    }

    [Fact]
    public void A_full_series_refuses_instead_of_overflowing()
    {
        var series = Series(max: 2);
        var counter = new ReceiptCounter(7, 2026);
        counter.Next(series);
        counter.Next(series);
        Assert.Equal("receipt_series_exhausted", counter.Next(series).Error!.Code);
    }

    [Fact]
    public void A_counter_as_it_was_before_the_store_took_a_number_gives_that_number_and_version()
    {
        var counter = ReceiptCounter.Before(7, 2026, takenNumber: 41, versionAfter: 45);
        Assert.Equal((40, 44), (counter.LastNumber, counter.Version));
        Assert.Equal(41, counter.Next(Series()).Value);
        Assert.Equal((41, 45), (counter.LastNumber, counter.Version));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReceiptCounter.Before(7, 2026, takenNumber: 0, versionAfter: 1));
    }

    [Fact]
    public void Series_symbol_ends_with_the_year() => Assert.Equal("BL26", Series().SeriesSymbolFor(2026));

    [Fact]
    public void Issue_copies_the_order_and_takes_the_next_number()
    {
        var o = Order();
        var a = Pay(o);
        var counter = new ReceiptCounter(7, 2026);
        var r = Receipt.Issue(o, a, Series(), counter, "system", Org, "tok1", Now).Value;
        Assert.Equal((1, "BL26", "01BLP0-001"), (r.Number, r.Series, r.TemplateSymbol));
        Assert.Equal(o.Amount, r.Amount);
        Assert.Equal("0000001", r.DisplayNumber);
        Assert.Equal("Một trăm ba mươi lăm nghìn đồng", r.AmountInWords);
        Assert.Equal("sandbox", r.PaymentMethod);
    }

    [Fact]
    public void Content_is_frozen_canonical_and_hashed()
    {
        var o = Order(Licence, CriminalRecord);
        var a = Pay(o);
        var r = Receipt.Issue(o, a, Series(), new ReceiptCounter(7, 2026), "system", Org, "tok", Now).Value;
        var c = r.Content;
        Assert.Equal(("Biên lai thu phí, lệ phí", "0000001", "Sở Tư pháp", 235_000L), (c.Title, c.Number, c.Organisation.Name, c.Total));
        Assert.Equal("Hai trăm ba mươi lăm nghìn đồng", c.TotalInWords);
        Assert.Equal(2, c.Lines.Count);
        Assert.Equal("2026-11-23T15:00:00+07:00", c.CollectedAt);
        Assert.Contains("\"payer\":{\"name\":\"Nguyễn Văn An\"", r.ContentJson); // unescaped UTF-8, stable order
        Assert.Equal(r.ContentJson, ReceiptContent.FromCanonicalJson(r.ContentJson).ToCanonicalJson());
        Assert.Equal(64, r.ContentSha256.Length);
    }

    [Fact]
    public void Cancel_and_replace_keep_numbers_and_link_the_two()
    {
        var o = Order();
        var a = Pay(o);
        var counter = new ReceiptCounter(7, 2026);
        var first = Receipt.Issue(o, a, Series(), counter, "system", Org, "t1", Now).Value;
        var second = Receipt.Issue(o, a, Series(), counter, "system", Org, "t2", Now, replaces: first, correctedPayer: new ReceiptPayer("Nguyễn Văn Anh", null, null)).Value;
        Assert.True(first.ReplaceWith(second, "Sai tên", Now).IsSuccess);
        Assert.Equal((ReceiptStatus.Replaced, 1, 2), (first.Status, first.Number, second.Number));
        Assert.Equal(first.Id, second.ReplacesId);
        Assert.Equal("Nguyễn Văn Anh", second.Content.Payer.Name);
        Assert.Contains("0000001", second.Content.Replaces);
        Assert.Equal("receipt_not_valid", first.Cancel("x", Now).Error!.Code);
        Assert.Equal("reason_required", second.Cancel(" ", Now).Error!.Code);
        Assert.True(second.Cancel("Thu nhầm", Now).IsSuccess);
        Assert.Equal(ReceiptStatus.Cancelled, second.Status);
    }

    [Fact]
    public void A_seal_must_cover_the_stored_content()
    {
        var o = Order();
        var r = Receipt.Issue(o, Pay(o), Series(), new ReceiptCounter(7, 2026), "system", Org, "t", Now).Value;
        Assert.Throws<InvalidOperationException>(() => r.Seal("00", "sig", "RS256", "CN=x", "AB", "cert", Now));
        r.Seal(r.ContentSha256, "sig", "RS256", "CN=x", "AB", "cert", Now);
        Assert.Throws<InvalidOperationException>(() => r.Seal(r.ContentSha256, "sig", "RS256", "CN=x", "AB", "cert", Now));
    }

    [Fact]
    public void The_year_is_the_vietnam_year()
    {
        // 31 Dec 2026 18:00 UTC is 1 Jan 2027 01:00 in Vietnam: the 2027 counter applies.
        Assert.Equal(2027, VietnamTime.YearOf(new DateTimeOffset(2026, 12, 31, 18, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void No_receipt_for_an_unpaid_or_exempt_order()
    {
        Assert.Equal("order_not_paid", Receipt.Issue(Order(), null, Series(), new ReceiptCounter(7, 2026), "system", Org, "t", Now).Error!.Code);
        var exempt = Order(new FeeItem("KS", "KS", FeeKind.LePhi, Money.Vnd(0), "b", "AG1"));
        Assert.Equal("nothing_collected", Receipt.Issue(exempt, null, Series(), new ReceiptCounter(7, 2026), "system", Org, "t", Now).Error!.Code);
    }
}

public class LedgerTests
{
    [Fact]
    public void A_payment_debits_clearing_and_credits_revenue_per_agency_and_kind()
    {
        var o = Order(Licence, CriminalRecord);
        Pay(o);
        var tx = Accounts.ForPayment(o, "sandbox", Now);
        Assert.Equal(Money.Vnd(235_000), tx.Postings.Single(p => p.Account == "clearing:sandbox").Debit);
        Assert.Equal(Money.Vnd(135_000), tx.Postings.Single(p => p.Account == "revenue:AG1:le-phi:GPLX").Credit);
        Assert.Equal(Money.Vnd(100_000), tx.Postings.Single(p => p.Account == "revenue:AG1:phi:LLTP").Credit);
        Assert.Equal(tx.Postings.Sum(p => p.Debit.Minor), tx.Postings.Sum(p => p.Credit.Minor));
    }

    [Fact]
    public void An_unbalanced_entry_cannot_be_built() =>
        Assert.Throws<InvalidOperationException>(() => LedgerTransaction.Create(LedgerKind.Payment, PaymentOrderId.New(), "x",
            [Posting.DebitOf("a", Money.Vnd(10)), Posting.CreditOf("b", Money.Vnd(9))], Now));

    [Fact]
    public void A_posting_is_one_sided_and_never_negative()
    {
        Assert.Throws<ArgumentException>(() => new Posting("a", Money.Vnd(1), Money.Vnd(1)));
        Assert.Throws<ArgumentException>(() => new Posting("a", Money.Vnd(0), Money.Vnd(0)));
        Assert.Throws<ArgumentException>(() => Posting.DebitOf("a", Money.Vnd(-5)));
    }

    [Fact]
    public void Refund_review_parks_money_in_suspense()
    {
        var o = Order();
        var tx = Accounts.ForRefundReview(o, o.Amount, "sandbox", Now);
        Assert.Equal(o.Amount, tx.Postings.Single(p => p.Account == Accounts.RefundReview).Credit);
        Assert.Equal(LedgerKind.RefundReview, tx.Kind);
    }
}

public class RefundLedgerTests
{
    [Fact]
    public void Partial_refunds_reverse_revenue_in_line_order_and_never_below_zero()
    {
        var o = Order(Licence, CriminalRecord); // 135.000 lệ phí + 100.000 phí (online 50%)
        Pay(o);
        var first = Accounts.ForRefund(o, Money.Vnd(100_000), Money.Vnd(0), "sandbox", Now);
        Assert.Equal(Money.Vnd(100_000), first.Postings.Single(p => p.Account == "revenue:AG1:le-phi:GPLX").Debit);
        Assert.DoesNotContain(first.Postings, p => p.Account == "revenue:AG1:phi:LLTP");
        var second = Accounts.ForRefund(o, Money.Vnd(135_000), Money.Vnd(100_000), "sandbox", Now);
        Assert.Equal(Money.Vnd(35_000), second.Postings.Single(p => p.Account == "revenue:AG1:le-phi:GPLX").Debit);
        Assert.Equal(Money.Vnd(100_000), second.Postings.Single(p => p.Account == "revenue:AG1:phi:LLTP").Debit);
        Assert.Equal(Money.Vnd(235_000), first.Postings.Concat(second.Postings).Where(p => p.Account == "clearing:sandbox").Aggregate(Money.Vnd(0), (s, p) => s + p.Credit));
        Assert.Throws<InvalidOperationException>(() => Accounts.ForRefund(o, Money.Vnd(1), Money.Vnd(235_000), "sandbox", Now));
    }

    [Fact]
    public void A_counter_payment_is_an_already_succeeded_attempt_by_the_cashier()
    {
        var o = Order();
        var a = o.RecordCounterPayment("cash", "CTR1", "Bình (NV001)", Now).Value;
        Assert.Equal((OrderStatus.Paid, AttemptStatus.Succeeded, "counter", "cash"), (o.Status, a.Status, a.Provider, a.Method));
        Assert.Equal("order_not_payable", o.RecordCounterPayment("cash", "CTR2", "x", Now).Error!.Code);
    }

    [Fact]
    public void The_desk_takes_no_money_for_an_order_past_its_expiry_even_before_it_is_marked_expired()
    {
        var o = Order();
        Assert.Equal("order_expired", o.RecordCounterPayment("cash", "CTR3", "x", o.ExpiresAt).Error!.Code);
        Assert.Equal((OrderStatus.Created, 0), (o.Status, o.Attempts.Count));
        Assert.True(o.RecordCounterPayment("cash", "CTR4", "x", o.ExpiresAt.AddSeconds(-1)).IsSuccess);
    }
}
