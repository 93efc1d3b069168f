using System.Net;
using System.Net.Http.Json;
using Payments.Domain.Ledger;

namespace Payments.Api.Tests;

public class RefundAndCounterTests
{
    internal static HttpRequestMessage Post(string url, object body, string key)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        req.Headers.Add("Idempotency-Key", key);
        return req;
    }

    internal static Task<HttpResponseMessage> RefundAsync(HttpClient portal, string id, long amount, string key, long? expected = null) =>
        portal.SendAsync(Post($"/api/v1/payment-orders/{id}/refunds", new { amount, reason = "Hồ sơ bị từ chối", expectedRefundable = expected }, key));

    /// <summary>Pays an order through the sandbox hosted page, so the simulated wallet knows the payment.</summary>
    internal static async Task<string> PayThroughWalletAsync(ApiFactory api, string dossier, string fee = "GPLX-CAP")
    {
        var portal = api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: dossier, fee: fee));
        var id = order.GetProperty("id").GetString()!;
        var redirect = new Uri((await portal.StartAttemptAsync(id)).GetProperty("redirectUrl").GetString()!);
        await VnptPayAndJanitorTests.PressAsync(api.Anonymous(), redirect, "success");
        Assert.Equal("paid", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
        return id;
    }

    private static async Task AssertBalanced(HttpClient portal) =>
        Assert.True((await (await portal.GetAsync("/api/v1/ledger/trial-balance")).Json()).GetProperty("balanced").GetBoolean());

    [Fact]
    public async Task Partial_then_full_refund_through_the_wallet_reverses_the_ledger()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var id = await PayThroughWalletAsync(api, "REF-1");

        var partial = await RefundAsync(portal, id, 35_000, "r1", expected: 135_000);
        Assert.Equal(HttpStatusCode.Created, partial.StatusCode);
        var body = await partial.Json();
        Assert.Equal("partially_refunded", body.GetProperty("orderStatus").GetString());
        Assert.Equal(100_000, body.GetProperty("refundable").GetProperty("value").GetInt64());

        var rest = await RefundAsync(portal, id, 100_000, "r2", expected: 100_000);
        Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
        Assert.Equal("refunded", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());

        var balance = await (await portal.GetAsync("/api/v1/ledger/trial-balance")).Json();
        Assert.True(balance.GetProperty("balanced").GetBoolean());
        Assert.All(balance.GetProperty("accounts").EnumerateArray(), a => Assert.Equal(0, a.GetProperty("balance").GetInt64()));
        Assert.Equal(2, api.Db(db => db.LedgerTransactions.Count(t => t.Kind == LedgerKind.Refund)));
    }

    [Fact]
    public async Task A_stale_expected_refundable_is_412_and_refunds_nothing()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var id = await PayThroughWalletAsync(api, "REF-412");
        await RefundAsync(portal, id, 10_000, "a");
        var stale = await RefundAsync(portal, id, 10_000, "b", expected: 135_000);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("refundable_changed", (await stale.Json()).GetProperty("code").GetString());
        Assert.Equal(1, api.Db(db => db.Refunds.Count()));
    }

    [Fact]
    public async Task A_refund_over_the_limit_is_refused()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var id = await PayThroughWalletAsync(api, "REF-OVER");
        var res = await RefundAsync(portal, id, 135_001, "over");
        Assert.Equal(HttpStatusCode.Conflict, res.StatusCode);
        Assert.Equal("refund_exceeds_payment", (await res.Json()).GetProperty("code").GetString());
        Assert.Equal("paid", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Concurrent_refunds_never_exceed_the_payment()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var id = await PayThroughWalletAsync(api, "REF-RACE");
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => RefundAsync(portal, id, 50_000, "race-" + i)));
        Assert.Equal(2, results.Count(r => r.StatusCode == HttpStatusCode.Created));
        // Refused by our own check (409), or — when requests race past it on a server store — by the provider, which
        // never refunds more than was paid (422 refund_rejected); either way no money beyond the payment leaves.
        foreach (var refused in results.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            var code = (await refused.Json()).GetProperty("code").GetString();
            Assert.True(refused.StatusCode == HttpStatusCode.Conflict || code == "refund_rejected", $"{refused.StatusCode} {code}");
        }
        Assert.Equal(100_000, api.Db(db => db.Refunds.AsEnumerable().Sum(r => r.Amount.Minor)));
        await AssertBalanced(portal);
    }

    [Fact]
    public async Task A_retried_refund_replays_and_does_not_refund_twice()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var id = await PayThroughWalletAsync(api, "REF-RETRY");
        var first = await RefundAsync(portal, id, 20_000, "same");
        var again = await RefundAsync(portal, id, 20_000, "same");
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(1, api.Db(db => db.Refunds.Count()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await RefundAsync(portal, id, 30_000, "same")).StatusCode);
    }

    [Fact]
    public async Task The_wallet_refusing_a_refund_records_nothing()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        // Paid by a direct IPN: the simulated wallet never saw this payment and refuses to refund it.
        var id = await portal.PayAsync("REF-UNKNOWN");
        var res = await RefundAsync(portal, id, 10_000, "unknown");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        Assert.Equal("refund_rejected", (await res.Json()).GetProperty("code").GetString());
        Assert.Equal("paid", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
        Assert.Equal(0, api.Db(db => db.Refunds.Count()));
    }

    [Fact]
    public async Task Unpaid_orders_are_not_refunded()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "REF-UNPAID"));
        var res = await RefundAsync(portal, order.GetProperty("id").GetString()!, 1_000, "unpaid");
        Assert.Equal("order_not_refundable", (await res.Json()).GetProperty("code").GetString());
    }

    internal static object Cash(string cashier = "NV001", string? method = "cash", string? reference = null, long? amount = null) =>
        new { method, reference, amount, cashier = new { id = cashier, name = "Trần Thị Bình" } };

    [Fact]
    public async Task A_cashier_records_a_counter_payment_with_receipt_and_ledger()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "CTR-1", channel: "counter"));
        var id = order.GetProperty("id").GetString()!;
        var res = await portal.SendAsync(Post($"/api/v1/payment-orders/{id}/counter-payments", Cash(amount: 135_000), "c1"));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var paid = await res.Json();
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        var receipt = await (await portal.GetAsync($"/api/v1/receipts/{paid.GetProperty("receipt").GetProperty("id")}")).Json();
        Assert.Equal("Trần Thị Bình (NV001)", receipt.GetProperty("collector").GetString());
        Assert.Equal("counter:cash", receipt.GetProperty("paymentMethod").GetString());
        var balance = await (await portal.GetAsync("/api/v1/ledger/trial-balance")).Json();
        Assert.Contains(balance.GetProperty("accounts").EnumerateArray(), a => a.GetProperty("account").GetString() == "clearing:counter:cash");

        // Paying again at the desk is refused; a refund of cash needs no provider.
        Assert.Equal(HttpStatusCode.Conflict, (await portal.SendAsync(Post($"/api/v1/payment-orders/{id}/counter-payments", Cash(), "c2"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await RefundAsync(portal, id, 135_000, "c3")).StatusCode);
        await AssertBalanced(portal);
    }

    [Theory]
    [InlineData("bitcoin", null, "invalid_method")]
    [InlineData("pos", null, "reference_required")]
    public async Task Counter_payments_are_validated(string method, string? reference, string code)
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "CTR-BAD"));
        var res = await portal.SendAsync(Post($"/api/v1/payment-orders/{order.GetProperty("id")}/counter-payments", Cash(method: method, reference: reference), "v"));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Equal(code, (await res.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_counted_amount_that_differs_is_refused()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "CTR-AMT"));
        var res = await portal.SendAsync(Post($"/api/v1/payment-orders/{order.GetProperty("id")}/counter-payments", Cash(amount: 130_000), "amt"));
        Assert.Equal("amount_mismatch", (await res.Json()).GetProperty("code").GetString());
    }
}
