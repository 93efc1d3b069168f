using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Payments.Api.Tests;

/// <summary>The Stripe test adapter against a local stub of Stripe's API, with really signed webhooks.</summary>
public class StripeTests
{
    private static async Task<(string Id, string Intent)> StartAsync(HttpClient portal, string dossier)
    {
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: dossier));
        var id = order.GetProperty("id").GetString()!;
        var res = await portal.PostAsJsonAsync($"/api/v1/payment-orders/{id}/attempts", new { provider = "stripe" });
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var secret = (await res.Json()).GetProperty("clientSecret").GetString()!;
        return (id, secret[..secret.IndexOf("_secret", StringComparison.Ordinal)]);
    }

    private static Task<HttpResponseMessage> WebhookAsync(HttpClient client, (string Body, string Signature) e)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, "/callbacks/stripe") { Content = new StringContent(e.Body, Encoding.UTF8, "application/json") };
        req.Headers.Add("Stripe-Signature", e.Signature);
        return client.SendAsync(req);
    }

    private static async Task<string> StatusAsync(HttpClient portal, string id) => (await portal.GetOrderAsync(id)).GetProperty("status").GetString()!;

    [Fact]
    public async Task A_signed_succeeded_webhook_pays_and_a_refund_goes_back_through_stripe()
    {
        await using var stub = await StripeStub.StartAsync();
        using var api = new ApiFactory().WithStripe(stub);
        var portal = api.Portal();
        var (id, intent) = await StartAsync(portal, "STRIPE-1");
        stub.Settle(intent, "succeeded");
        Assert.Equal(HttpStatusCode.OK, (await WebhookAsync(api.Anonymous(), stub.Event(intent, "payment_intent.succeeded", api.Clock.GetUtcNow()))).StatusCode);
        Assert.Equal("paid", await StatusAsync(portal, id));
        // Stripe delivers at least once: the same event again changes nothing.
        Assert.Equal(HttpStatusCode.OK, (await WebhookAsync(api.Anonymous(), stub.Event(intent, "payment_intent.succeeded", api.Clock.GetUtcNow()))).StatusCode);
        Assert.Equal(1, api.Db(db => db.Receipts.Count()));

        var refund = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payment-orders/{id}/refunds") { Content = JsonContent.Create(new { amount = 35_000, reason = "Thu thừa" }) };
        refund.Headers.Add("Idempotency-Key", "stripe-refund-1");
        var res = await portal.SendAsync(refund);
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        Assert.StartsWith("re_", (await res.Json()).GetProperty("providerRefundId").GetString());
        var over = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payment-orders/{id}/refunds") { Content = JsonContent.Create(new { amount = 100_001, reason = "x" }) };
        over.Headers.Add("Idempotency-Key", "stripe-refund-2");
        Assert.Equal(HttpStatusCode.Conflict, (await portal.SendAsync(over)).StatusCode);
    }

    [Fact]
    public async Task The_amount_is_in_whole_dong_with_no_times_100()
    {
        await using var stub = await StripeStub.StartAsync();
        using var api = new ApiFactory().WithStripe(stub);
        var portal = api.Portal();
        var (id, intent) = await StartAsync(portal, "STRIPE-AMOUNT");
        stub.Settle(intent, "succeeded", amountReceived: 13_500_000); // someone's ×100 mistake
        await WebhookAsync(api.Anonymous(), stub.Event(intent, "payment_intent.succeeded", api.Clock.GetUtcNow()));
        Assert.Equal("awaiting_payment", await StatusAsync(portal, id));
    }

    [Fact]
    public async Task The_same_number_in_another_currency_does_not_pay()
    {
        await using var stub = await StripeStub.StartAsync();
        using var api = new ApiFactory().WithStripe(stub);
        var portal = api.Portal();
        var (id, intent) = await StartAsync(portal, "STRIPE-CURRENCY");
        stub.Settle(intent, "succeeded", currency: "usd"); // 135,000 dollars is not 135,000 đồng
        await WebhookAsync(api.Anonymous(), stub.Event(intent, "payment_intent.succeeded", api.Clock.GetUtcNow()));
        Assert.Equal("awaiting_payment", await StatusAsync(portal, id));
        Assert.Equal(0, api.Db(db => db.Receipts.Count()));
    }

    [Fact]
    public async Task Forged_and_stale_signatures_are_refused()
    {
        await using var stub = await StripeStub.StartAsync();
        using var api = new ApiFactory().WithStripe(stub);
        var portal = api.Portal();
        var (id, intent) = await StartAsync(portal, "STRIPE-SIG");
        stub.Settle(intent, "succeeded");
        var forged = await WebhookAsync(api.Anonymous(), stub.Event(intent, "payment_intent.succeeded", api.Clock.GetUtcNow(), secret: "whsec_attacker"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var stale = await WebhookAsync(api.Anonymous(), stub.Event(intent, "payment_intent.succeeded", api.Clock.GetUtcNow().AddMinutes(-6)));
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        var (body, signature) = stub.Event(intent, "payment_intent.succeeded", api.Clock.GetUtcNow());
        var tampered = await WebhookAsync(api.Anonymous(), (body.Replace("\"amount\":135000", "\"amount\":1"), signature));
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        Assert.Equal("awaiting_payment", await StatusAsync(portal, id));
    }

    [Fact]
    public async Task A_failed_payment_leaves_the_order_payable_and_a_late_success_still_pays()
    {
        await using var stub = await StripeStub.StartAsync();
        using var api = new ApiFactory().WithStripe(stub);
        var portal = api.Portal();
        var (id, intent) = await StartAsync(portal, "STRIPE-FAIL");
        stub.Settle(intent, "requires_payment_method");
        await WebhookAsync(api.Anonymous(), stub.Event(intent, "payment_intent.payment_failed", api.Clock.GetUtcNow()));
        Assert.Equal("created", await StatusAsync(portal, id));
        // Out of order: the payer retried on Stripe's page and it went through.
        stub.Settle(intent, "succeeded");
        await WebhookAsync(api.Anonymous(), stub.Event(intent, "payment_intent.succeeded", api.Clock.GetUtcNow()));
        Assert.Equal("paid", await StatusAsync(portal, id));
    }

    [Fact]
    public async Task A_payment_the_citizen_cancelled_at_stripe_leaves_the_order_payable()
    {
        await using var stub = await StripeStub.StartAsync();
        using var api = new ApiFactory().WithStripe(stub);
        var portal = api.Portal();
        var (id, intent) = await StartAsync(portal, "STRIPE-CANCEL");
        stub.Settle(intent, "canceled");
        Assert.Equal(HttpStatusCode.OK, (await WebhookAsync(api.Anonymous(), stub.Event(intent, "payment_intent.canceled", api.Clock.GetUtcNow()))).StatusCode);
        Assert.Equal("created", await StatusAsync(portal, id));
        Assert.Equal(Domain.Orders.AttemptStatus.CancelledByPayer, api.Db(db => db.Attempts.Single().Status));
    }

    [Fact]
    public async Task A_missed_webhook_is_recovered_by_the_janitor_querying_stripe()
    {
        await using var stub = await StripeStub.StartAsync();
        using var api = new ApiFactory().WithStripe(stub);
        var portal = api.Portal();
        var (id, intent) = await StartAsync(portal, "STRIPE-QUERY");
        stub.Settle(intent, "succeeded");
        api.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(1, (await api.SweepAsync()).Confirmed);
        Assert.Equal("paid", await StatusAsync(portal, id));
    }

    [Fact]
    public void A_live_key_is_refused_at_start_up()
    {
        using var api = new ApiFactory().With("Payments:Providers:stripe:Enabled", "true").With("Payments:Providers:stripe:SecretKey", "sk_live_abc")
            .With("Payments:Providers:stripe:WebhookSecret", StripeStub.WebhookSecret);
        var ex = Assert.ThrowsAny<Exception>(() => api.CreateClient());
        Assert.Contains("test key", ex.ToString());
    }
}
