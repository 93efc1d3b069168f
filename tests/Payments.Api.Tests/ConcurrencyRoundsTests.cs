using System.Net;
using Payments.Domain.Common;
using Payments.Domain.Receipts;

namespace Payments.Api.Tests;

/// <summary>
/// The races of a real day, repeated: every round sends 64 identical creates, then 64 identical wallet notifications,
/// then 8 refunds that together ask for more than was paid — all at once. Every round: one order, one receipt, one
/// payment posting, no 5xx, refunds never beyond the payment, the ledger balanced.
/// </summary>
public class ConcurrencyRoundsTests : IClassFixture<ApiFactory>
{
    private const int Rounds = 8;
    private readonly ApiFactory _api;

    public ConcurrencyRoundsTests(ApiFactory api) => _api = api;

    private static async Task<T[]> AllAtOnce<T>(int n, Func<int, Task<T>> send)
    {
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, n).Select(async i => { await start.WaitAsync(); return await send(i); }).ToList();
        start.Release(n);
        return await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task Duplicate_creates_callbacks_and_refunds_race_round_after_round_without_counting_twice()
    {
        var portal = _api.Portal();
        var anonymous = _api.Anonymous();
        for (var round = 0; round < Rounds; round++)
        {
            var dossier = $"000.00.12.H29-ROUND-{round:D3}";
            var creates = await AllAtOnce(64, _ => portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: dossier), $"round-{round}")));
            Assert.All(creates, r => Assert.True((int)r.StatusCode < 500, $"round {round}: create answered {(int)r.StatusCode}"));
            var ids = new HashSet<string>();
            foreach (var r in creates.Where(r => r.StatusCode == HttpStatusCode.Created)) ids.Add((await r.Json()).GetProperty("id").GetString()!);
            var id = Assert.Single(ids);
            Assert.Equal(1, _api.Db(db => db.Orders.Count(o => o.DossierCode == dossier)));

            var order = await portal.GetOrderAsync(id);
            var attempt = await portal.StartAttemptAsync(id);
            var ipn = Wire.Ipn(attempt.GetProperty("providerReference").GetString()!, order.GetProperty("amount").GetProperty("value").GetInt64() * 100,
                $"88{round:D8}");
            var codes = await AllAtOnce(64, i => anonymous.SendIpnAsync(ipn, asForm: i % 2 == 0));
            Assert.Equal(1, codes.Count(c => c == "00"));
            // The duplicates queue for the writer (SQLite) or for the order's row lock (server stores) and all see the payment.
            Assert.Equal(63, codes.Count(c => c == "02"));
            Assert.Equal("02", await anonymous.SendIpnAsync(ipn));

            var orderId = new PaymentOrderId(Guid.Parse(id));
            Assert.Equal(1, _api.Db(db => db.Receipts.Count(r => r.OrderId == orderId && r.Status == ReceiptStatus.Valid)));
            Assert.Equal(1, _api.Db(db => db.LedgerTransactions.Count(t => t.OrderId == orderId && t.Kind == Domain.Ledger.LedgerKind.Payment)));
        }
        Assert.True((await (await portal.GetAsync("/api/v1/ledger/trial-balance")).Json()).GetProperty("balanced").GetBoolean());
    }

    [Fact]
    public async Task Concurrent_refunds_never_exceed_the_payment_in_any_round()
    {
        var portal = _api.Portal();
        for (var round = 0; round < Rounds; round++)
        {
            var id = await RefundAndCounterTests.PayThroughWalletAsync(_api, $"000.00.12.H29-REFUND-ROUND-{round:D3}");
            var paid = (await portal.GetOrderAsync(id)).GetProperty("amount").GetProperty("value").GetInt64();
            var part = paid * 2 / 5; // 40 %: at most two fit
            var results = await AllAtOnce(8, i => RefundAndCounterTests.RefundAsync(portal, id, part, $"refund-round-{round}-{i}"));
            Assert.All(results, r => Assert.True((int)r.StatusCode < 500, $"round {round}: refund answered {(int)r.StatusCode}"));
            Assert.Equal(2, results.Count(r => r.StatusCode == HttpStatusCode.Created));
            var orderId = new PaymentOrderId(Guid.Parse(id));
            var refunded = _api.Db(db => db.Refunds.Where(r => r.OrderId == orderId).AsEnumerable().Sum(r => r.Amount.Minor));
            Assert.True(refunded <= paid, $"round {round}: refunded {refunded} of {paid}");
            Assert.Equal(2 * part, refunded);
        }
        Assert.True((await (await portal.GetAsync("/api/v1/ledger/trial-balance")).Json()).GetProperty("balanced").GetBoolean());
    }
}
