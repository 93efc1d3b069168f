using System.Net;
using Microsoft.EntityFrameworkCore;
using Payments.Domain.Common;
using Payments.Domain.Ledger;
using Payments.Domain.Orders;

namespace Payments.Api.Tests;

public class CallbackTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;
    private readonly HttpClient _portal;

    public CallbackTests(ApiFactory api) { _api = api; _portal = api.Portal(); }

    private async Task<(string OrderId, string Reference)> AwaitingPaymentAsync(string dossier)
    {
        var order = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: dossier));
        var id = order.GetProperty("id").GetString()!;
        return (id, (await _portal.StartAttemptAsync(id)).GetProperty("providerReference").GetString()!);
    }

    private (OrderStatus Status, int Receipts, int Ledger, AttemptStatus Attempt) State(string orderId)
    {
        var id = new PaymentOrderId(Guid.Parse(orderId));
        return _api.Db(db => (
            db.Orders.Single(o => o.Id == id).Status,
            db.Receipts.Count(r => r.OrderId == id),
            db.LedgerTransactions.Count(t => t.OrderId == id),
            db.Attempts.Where(a => a.OrderId == id).OrderByDescending(a => a.CreatedAt).First().Status));
    }

    [Fact]
    public async Task Sixty_four_concurrent_identical_ipns_give_one_receipt_and_one_posting_set()
    {
        var (id, reference) = await AwaitingPaymentAsync("CB-RACE");
        var query = Wire.Ipn(reference, 13_500_000, "15000001");
        var client = _api.Anonymous();
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, 64).Select(async i =>
        {
            await start.WaitAsync();
            return await client.SendIpnAsync(query, asForm: i % 2 == 0);
        }).ToList();
        start.Release(64);
        var codes = await Task.WhenAll(tasks);

        Assert.Equal(1, codes.Count(c => c == "00"));
        Assert.Equal(63, codes.Count(c => c == "02"));
        Assert.Equal((OrderStatus.Paid, 1, 1, AttemptStatus.Succeeded), State(id));
        var orderId = new PaymentOrderId(Guid.Parse(id));
        Assert.Equal(1, _api.Db(db => db.LedgerTransactions.Count(t => t.OrderId == orderId && t.Kind == LedgerKind.Payment)));
        Assert.Equal(1, _api.Db(db => db.Outbox.Count(m => m.AggregateId == id && m.Type == "payment_order.paid")));
    }

    [Fact]
    public async Task A_forged_signature_is_97_and_changes_nothing()
    {
        var (id, reference) = await AwaitingPaymentAsync("CB-FORGED");
        var forged = Wire.Ipn(reference, 13_500_000, "15000002", secret: "an-attackers-guess-0123456789");
        Assert.Equal("97", await _portal.SendIpnAsync(forged));

        var tampered = Wire.Ipn(reference, 13_500_000, "15000002").Replace("vnp_ResponseCode=00", "vnp_ResponseCode=24");
        Assert.Equal("97", await _portal.SendIpnAsync(tampered));
        Assert.Equal("97", await _portal.SendIpnAsync($"vnp_TxnRef={reference}&vnp_Amount=13500000&vnp_ResponseCode=00&vnp_TransactionStatus=00"));
        Assert.Equal((OrderStatus.AwaitingPayment, 0, 0, AttemptStatus.Pending), State(id));
    }

    [Fact]
    public async Task A_well_signed_ipn_for_another_merchant_code_is_97()
    {
        var (id, reference) = await AwaitingPaymentAsync("CB-TMN");
        Assert.Equal("97", await _portal.SendIpnAsync(Wire.Ipn(reference, 13_500_000, "15000003", tmn: "OTHER001")));
        Assert.Equal(OrderStatus.AwaitingPayment, State(id).Status);
    }

    [Theory]
    [InlineData(135_000)]      // forgot the ×100
    [InlineData(1_350_000_000)] // ×100 twice
    [InlineData(13_500_050)]    // not whole đồng
    [InlineData(100)]
    public async Task A_wrong_amount_is_04_and_not_paid(long walletAmount)
    {
        var (id, reference) = await AwaitingPaymentAsync("CB-AMOUNT-" + walletAmount);
        Assert.Equal("04", await _portal.SendIpnAsync(Wire.Ipn(reference, walletAmount, "15000004")));
        Assert.Equal((OrderStatus.AwaitingPayment, 0, 0, AttemptStatus.Pending), State(id));
    }

    [Fact]
    public async Task An_unknown_reference_is_01() =>
        Assert.Equal("01", await _portal.SendIpnAsync(Wire.Ipn("PAY000000NOSUCHREF", 13_500_000, "15000005")));

    [Fact]
    public async Task A_repeated_success_is_02_without_side_effects()
    {
        var (id, reference) = await AwaitingPaymentAsync("CB-REPEAT");
        Assert.Equal("00", await _portal.SendIpnAsync(Wire.Ipn(reference, 13_500_000, "15000006")));
        Assert.Equal("02", await _portal.SendIpnAsync(Wire.Ipn(reference, 13_500_000, "15000006")));
        Assert.Equal("02", await _portal.SendIpnAsync(Wire.Ipn(reference, 13_500_000, "0", response: "51", status: "02")));
        Assert.Equal((OrderStatus.Paid, 1, 1, AttemptStatus.Succeeded), State(id));
    }

    [Fact]
    public async Task A_second_success_through_another_attempt_is_held_for_refund_review()
    {
        var order = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "CB-DOUBLE"));
        var id = order.GetProperty("id").GetString()!;
        var first = (await _portal.StartAttemptAsync(id)).GetProperty("providerReference").GetString()!;
        var second = (await _portal.StartAttemptAsync(id)).GetProperty("providerReference").GetString()!;
        Assert.Equal("00", await _portal.SendIpnAsync(Wire.Ipn(second, 13_500_000, "15000007")));
        Assert.Equal("02", await _portal.SendIpnAsync(Wire.Ipn(first, 13_500_000, "15000008")));

        var orderId = new PaymentOrderId(Guid.Parse(id));
        Assert.Equal(1, _api.Db(db => db.Receipts.Count(r => r.OrderId == orderId)));
        Assert.Equal(1, _api.Db(db => db.LedgerTransactions.Count(t => t.OrderId == orderId && t.Kind == LedgerKind.RefundReview)));
        Assert.True((await _portal.GetOrderAsync(id)).GetProperty("requiresRefundReview").GetBoolean());
    }

    [Fact]
    public async Task A_wallet_transaction_number_pays_only_once_even_across_orders()
    {
        var (a, refA) = await AwaitingPaymentAsync("CB-TXN-A");
        var (b, refB) = await AwaitingPaymentAsync("CB-TXN-B");
        Assert.Equal("00", await _portal.SendIpnAsync(Wire.Ipn(refA, 13_500_000, "15000009")));
        Assert.Equal("02", await _portal.SendIpnAsync(Wire.Ipn(refB, 13_500_000, "15000009")));
        Assert.Equal(OrderStatus.AwaitingPayment, State(b).Status);
    }

    [Fact]
    public async Task Callbacks_for_an_unknown_provider_are_404_problems()
    {
        var res = await _api.Anonymous().GetAsync("/callbacks/paypal?x=1");
        Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
        Assert.Equal("unknown_provider", (await res.Json()).GetProperty("code").GetString());
    }

    /// <summary>
    /// The receipt number is taken in the writer's turn just before the save: when it cannot be taken (the agency has
    /// no active series), nothing of the payment is written and the wallet is told to retry; its retry pays once a
    /// series exists.
    /// </summary>
    [Fact]
    public async Task A_payment_that_cannot_get_a_receipt_number_writes_nothing_and_the_wallets_retry_pays()
    {
        const string agency = "000.00.77.H77", key = "pk_test_no_series_0123456789abcdef";
        _api.AddAgency(agency, "Agency without a series", key,
            [new Domain.Fees.FeeItem("NS-FEE", "Lệ phí thử", Domain.Fees.FeeKind.LePhi, Money.Vnd(50_000), "—", agency)]);
        var portal = _api.Portal(key);
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "NO-SERIES-1", fee: "NS-FEE", agency: agency));
        var id = order.GetProperty("id").GetString()!;
        var attempt = await portal.StartAttemptAsync(id);
        var ipn = Wire.Ipn(attempt.GetProperty("providerReference").GetString()!, 50_000 * 100, "7700000001");

        Assert.Equal("99", await _api.Anonymous().SendIpnAsync(ipn));
        var orderId = new PaymentOrderId(Guid.Parse(id));
        Assert.Equal("awaiting_payment", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
        Assert.Equal((0, 0, 0), _api.Db(db => (db.Receipts.Count(r => r.OrderId == orderId), db.LedgerTransactions.Count(t => t.OrderId == orderId),
            db.Outbox.Count(m => m.AggregateId == id))));

        _api.Db(db => { db.ReceiptSeries.Add(new Domain.Receipts.ReceiptSeries(agency, templateSymbol: "01BLP0-001", "NS")); return db.SaveChanges(); });
        Assert.Equal("00", await _api.Anonymous().SendIpnAsync(ipn));
        Assert.Equal("paid", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
        Assert.Equal((1, 1, 1), _api.Db(db => (db.Receipts.Count(r => r.OrderId == orderId), db.LedgerTransactions.Count(t => t.OrderId == orderId),
            db.Outbox.Count(m => m.AggregateId == id))));
    }
}
