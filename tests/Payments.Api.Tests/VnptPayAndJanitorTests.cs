using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Payments.Providers.Wallet;

namespace Payments.Api.Tests;

/// <summary>The vnptpay adapter end to end over HTTP against its embedded simulator, and the janitor.</summary>
public class VnptPayAndJanitorTests
{
    private static async Task<(string Id, Uri Redirect, string Reference)> StartVnptAsync(HttpClient portal, string dossier)
    {
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: dossier));
        var id = order.GetProperty("id").GetString()!;
        var res = await portal.PostAsJsonAsync($"/api/v1/payment-orders/{id}/attempts", new { provider = "vnptpay" });
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var attempt = await res.Json();
        return (id, new Uri(attempt.GetProperty("redirectUrl").GetString()!), attempt.GetProperty("providerReference").GetString()!);
    }

    /// <summary>The payer presses a button on the simulated wallet page.</summary>
    internal static Task<HttpResponseMessage> PressAsync(HttpClient browser, Uri redirect, string outcome) =>
        browser.PostAsync(redirect.AbsolutePath, new StringContent(redirect.Query.TrimStart('?') + "&outcome=" + outcome,
            System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

    private static async Task<string> StatusAsync(HttpClient portal, string id) =>
        (await portal.GetOrderAsync(id)).GetProperty("status").GetString()!;

    [Fact]
    public async Task Vnptpay_pays_through_its_hosted_page_and_signed_ipn()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var (id, redirect, _) = await StartVnptAsync(portal, "VNPT-1");
        Assert.Equal("/sandbox/vnptpay/pay", redirect.AbsolutePath);
        Assert.Contains("vnp_TmnCode=VNPTTEST", redirect.Query);
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync(redirect.PathAndQuery)).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await PressAsync(api.Anonymous(), redirect, "success")).StatusCode);
        Assert.Equal("paid", await StatusAsync(portal, id));
        var receipt = await (await portal.GetAsync($"/api/v1/receipts/{(await portal.GetOrderAsync(id)).GetProperty("receipt").GetProperty("id")}")).Json();
        Assert.Equal("vnptpay", receipt.GetProperty("paymentMethod").GetString());
    }

    [Fact]
    public async Task Vnptpay_ipns_are_verified_with_its_own_secret()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var (id, _, reference) = await StartVnptAsync(portal, "VNPT-2");
        // Signed with the sandbox's secret and merchant code: not vnptpay's.
        var res = await api.Anonymous().GetAsync("/callbacks/vnptpay?" + Wire.Ipn(reference, 13_500_000, "20000001"));
        Assert.Equal("97", (await res.Json()).GetProperty("RspCode").GetString());
        var good = Wire.Ipn(reference, 13_500_000, "20000001", secret: ApiFactory.VnptSecret, tmn: ApiFactory.VnptTmnCode);
        Assert.Equal("00", (await (await api.Anonymous().GetAsync("/callbacks/vnptpay?" + good)).Json()).GetProperty("RspCode").GetString());
        // The other provider's endpoint does not know this reference.
        Assert.Equal("01", await portal.SendIpnAsync(Wire.Ipn(reference, 13_500_000, "20000002")));
        Assert.Equal("paid", await StatusAsync(portal, id));
    }

    [Theory]
    [InlineData("failure")]
    [InlineData("cancel")]
    public async Task A_declined_or_cancelled_wallet_payment_leaves_the_order_payable(string outcome)
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var (id, redirect, _) = await StartVnptAsync(portal, "VNPT-" + outcome);
        await PressAsync(api.Anonymous(), redirect, outcome);
        Assert.Equal("created", await StatusAsync(portal, id));
        var attempt = api.Db(db => db.Attempts.Single(a => a.ProviderReference != null && a.Provider == "vnptpay"));
        Assert.Equal(outcome == "cancel" ? Domain.Orders.AttemptStatus.CancelledByPayer : Domain.Orders.AttemptStatus.Failed, attempt.Status);
    }

    [Fact]
    public async Task A_lost_ipn_is_recovered_by_querying_the_wallet_after_the_deadline()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var (id, redirect, _) = await StartVnptAsync(portal, "VNPT-LOST");
        await PressAsync(api.Anonymous(), redirect, "success_lost_ipn");
        Assert.Equal("awaiting_payment", await StatusAsync(portal, id));

        Assert.Equal(0, (await api.SweepAsync()).Queried); // not overdue yet: nobody is asked
        api.Clock.Advance(TimeSpan.FromMinutes(16));
        var report = await api.SweepAsync();
        Assert.Equal((1, 1), (report.Queried, report.Confirmed));
        Assert.Equal("paid", await StatusAsync(portal, id));
        Assert.Equal(1, api.Db(db => db.Receipts.Count()));
        Assert.Equal(0, (await api.SweepAsync()).Queried); // decided: never asked again
    }

    [Fact]
    public async Task An_attempt_the_wallet_never_saw_is_abandoned_then_the_order_expires()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var (id, _, _) = await StartVnptAsync(portal, "VNPT-GONE");
        api.Clock.Advance(TimeSpan.FromMinutes(16));
        var first = await api.SweepAsync();
        Assert.Equal((1, 0), (first.Queried, first.Abandoned)); // unknown to the wallet, but give it time
        api.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(1, (await api.SweepAsync()).Abandoned);
        Assert.Equal("created", await StatusAsync(portal, id));

        api.Clock.Advance(TimeSpan.FromMinutes(60));
        Assert.Equal(1, (await api.SweepAsync()).Expired);
        Assert.Equal("expired", await StatusAsync(portal, id));
        Assert.Equal(1, api.Db(db => db.Outbox.Count(m => m.Type == "payment_order.expired")));
    }

    [Fact]
    public async Task An_order_with_an_undecided_attempt_is_not_expired_until_the_wallet_answers()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var (id, redirect, _) = await StartVnptAsync(portal, "VNPT-LATE");
        await PressAsync(api.Anonymous(), redirect, "success_lost_ipn");
        api.Clock.Advance(TimeSpan.FromMinutes(91)); // order and attempt both overdue
        var report = await api.SweepAsync();
        Assert.Equal((1, 0), (report.Confirmed, report.Expired));
        Assert.Equal("paid", await StatusAsync(portal, id));
    }

    [Fact]
    public async Task A_wallet_answer_with_a_bad_signature_is_not_believed()
    {
        using var api = new ApiFactory().With("Payments:Providers:vnptpay:QueryUrl", "/sandbox/wallet/api"); // the sandbox signs with another secret
        var portal = api.Portal();
        var (id, redirect, _) = await StartVnptAsync(portal, "VNPT-BADSIG");
        await PressAsync(api.Anonymous(), redirect, "success_lost_ipn");
        api.Clock.Advance(TimeSpan.FromMinutes(40));
        var report = await api.SweepAsync();
        Assert.Equal((1, 0, 0), (report.QueryErrors, report.Confirmed, report.Abandoned));
        Assert.Equal("awaiting_payment", await StatusAsync(portal, id));
    }

    [Fact]
    public async Task Refunds_go_back_through_the_wallet_and_never_past_what_it_took()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var (id, redirect, _) = await StartVnptAsync(portal, "VNPT-REFUND");
        await PressAsync(api.Anonymous(), redirect, "success");
        async Task<HttpResponseMessage> Refund(long amount, string key)
        {
            var req = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payment-orders/{id}/refunds") { Content = JsonContent.Create(new { amount, reason = "Từ chối hồ sơ" }) };
            req.Headers.Add("Idempotency-Key", key);
            return await portal.SendAsync(req);
        }
        Assert.Equal(HttpStatusCode.Created, (await Refund(100_000, "v1")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Refund(35_001, "v2")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Refund(35_000, "v3")).StatusCode);
        Assert.Equal("refunded", await StatusAsync(portal, id));
        var simulated = api.Services.GetService(typeof(Features.Sandbox.WalletSimulatorState)) as Features.Sandbox.WalletSimulatorState;
        var reference = api.Db(db => db.Attempts.Single().ProviderReference);
        Assert.Equal(13_500_000, simulated!.Find("vnptpay", reference)!.RefundedWalletAmount);
    }

    [Fact]
    public async Task The_simulator_api_refuses_an_unsigned_query()
    {
        using var api = new ApiFactory();
        var res = await api.Anonymous().PostAsJsonAsync("/sandbox/vnptpay/api", new Dictionary<string, string>
        {
            ["vnp_Command"] = "querydr", ["vnp_TmnCode"] = ApiFactory.VnptTmnCode, ["vnp_TxnRef"] = "X", ["vnp_SecureHash"] = new string('0', 128),
        });
        Assert.Equal("97", (await res.Json()).GetProperty("vnp_ResponseCode").GetString());
    }
}
