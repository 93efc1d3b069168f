using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Payments.Domain.Common;
using Payments.Providers.Contract;

namespace Payments.Api.Tests;

/// <summary>
/// Every callback kind the service takes, in one table: a notification without its signature, signed with another key,
/// altered after signing, carrying the signature of another (earlier) message, or — where the provider signs a time —
/// signed too long ago or in the future, is refused in the provider's own format and changes nothing; the genuine
/// notification then pays. A provider enabled tomorrow without a row here fails the coverage check.
/// </summary>
public sealed class CallbackSignatureTests : IAsyncLifetime
{
    public enum Forgery { Unsigned, OtherKey, AlteredAfterSigning, SignatureOfAnotherMessage, SignedTooLongAgo, SignedInTheFuture }

    /// <summary>A notification as sent: the provider's URL, its body or query, and its signature header if any.</summary>
    private sealed record Sent(string Provider, string Query, string? Body, string? Header, string? Signature);

    /// <summary>How one provider signs, and what it answers a refused notification.</summary>
    private sealed record Kind(string Provider, Func<Pending, string, DateTimeOffset, string, Sent> Sign, Func<HttpResponseMessage, Task<bool>> Refused,
        bool SignsTime);

    private sealed record Pending(string OrderId, JsonElement Attempt, long Amount, string Txn);

    private StripeStub _stripe = null!;
    private ApiFactory _api = null!;

    public async Task InitializeAsync()
    {
        _stripe = await StripeStub.StartAsync();
        _api = new ApiFactory().WithStripe(_stripe);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _stripe.DisposeAsync();
    }

    private static async Task<bool> WalletRefused(HttpResponseMessage r) =>
        r.StatusCode == HttpStatusCode.OK && (await r.Json()).GetProperty("RspCode").GetString() == "97";

    private static Sent Wallet(string provider, string secret, string tmn, Pending p, string signingSecret, string txn) =>
        new(provider, Wire.Ipn(p.Attempt.GetProperty("providerReference").GetString()!, p.Amount * 100, txn,
            secret: signingSecret == "" ? secret : signingSecret, tmn: tmn), null, null, null);

    private Kind[] Kinds() =>
    [
        new("sandbox", (p, key, _, txn) => Wallet("sandbox", ApiFactory.Secret, ApiFactory.TmnCode, p, key, txn), WalletRefused, SignsTime: false),
        new("vnptpay", (p, key, _, txn) => Wallet("vnptpay", ApiFactory.VnptSecret, ApiFactory.VnptTmnCode, p, key, txn), WalletRefused, SignsTime: false),
        new("vietqr", (p, key, at, txn) =>
        {
            var body = JsonSerializer.Serialize(new { bankTxnId = txn, account = ApiFactory.VietQrAccount, amount = p.Amount,
                content = "nop phi " + p.Attempt.GetProperty("paymentCode").GetString(), bookedAt = at });
            var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key == "" ? ApiFactory.NotifySecret : key), Encoding.UTF8.GetBytes(body)));
            return new Sent("vietqr", "", body, "X-Signature", signature);
        }, r => Task.FromResult(r.StatusCode == HttpStatusCode.Unauthorized), SignsTime: false),
        new("stripe", (p, key, at, _) =>
        {
            var secret = p.Attempt.GetProperty("clientSecret").GetString()!;
            var (body, signature) = _stripe.Event(secret[..secret.IndexOf("_secret", StringComparison.Ordinal)], "payment_intent.succeeded", at,
                key == "" ? StripeStub.WebhookSecret : key);
            return new Sent("stripe", "", body, "Stripe-Signature", signature);
        }, r => Task.FromResult(r.StatusCode == HttpStatusCode.BadRequest), SignsTime: true),
    ];

    private async Task<Pending> StartAsync(Kind kind, string dossier)
    {
        var portal = _api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: dossier));
        var id = order.GetProperty("id").GetString()!;
        var res = await portal.PostAsJsonAsync($"/api/v1/payment-orders/{id}/attempts", new { provider = kind.Provider });
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        if (kind.Provider == "stripe")
        {
            var secret = (await res.Json()).GetProperty("clientSecret").GetString()!;
            _stripe.Settle(secret[..secret.IndexOf("_secret", StringComparison.Ordinal)], "succeeded");
        }
        return new Pending(id, await res.Json(), order.GetProperty("amount").GetProperty("value").GetInt64(), Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString());
    }

    private Task<HttpResponseMessage> SendAsync(Sent s)
    {
        var req = new HttpRequestMessage(s.Body is null ? HttpMethod.Get : HttpMethod.Post, $"/callbacks/{s.Provider}" + (s.Query == "" ? "" : "?" + s.Query));
        if (s.Body is not null) req.Content = new StringContent(s.Body, Encoding.UTF8, "application/json");
        if (s.Header is not null && s.Signature is not null) req.Headers.TryAddWithoutValidation(s.Header, s.Signature);
        return _api.Anonymous().SendAsync(req);
    }

    /// <summary>The genuine notification for <paramref name="p"/>, made into the given forgery.</summary>
    private Sent Forge(Kind kind, Pending p, Forgery forgery)
    {
        var now = _api.Clock.GetUtcNow();
        var genuine = kind.Sign(p, "", now, p.Txn);
        return forgery switch
        {
            Forgery.Unsigned => genuine.Body is null
                ? genuine with { Query = string.Join('&', genuine.Query.Split('&').Where(f => !f.StartsWith("vnp_SecureHash", StringComparison.Ordinal))) }
                : genuine with { Signature = null },
            Forgery.OtherKey => kind.Sign(p, "an-attacker-guess-0123456789abcdef", now, p.Txn),
            Forgery.AlteredAfterSigning => genuine.Body is null
                ? genuine with { Query = genuine.Query.Replace($"vnp_Amount={p.Amount * 100}", $"vnp_Amount={(p.Amount - 1_000) * 100}") }
                : genuine with { Body = Altered(genuine.Body, p.Amount) },
            // A real, earlier message's signature (another transaction of ours) pasted onto this one.
            Forgery.SignatureOfAnotherMessage => kind.Sign(p, "", now.AddMinutes(-1), (p.Txn[0] == '9' ? "8" : "9") + p.Txn[1..]) is var other && other.Body is null
                ? genuine with { Query = genuine.Query[..genuine.Query.IndexOf("vnp_SecureHash=", StringComparison.Ordinal)] + other.Query[other.Query.IndexOf("vnp_SecureHash=", StringComparison.Ordinal)..] }
                : genuine with { Signature = other.Signature },
            Forgery.SignedTooLongAgo => kind.Sign(p, "", now.AddMinutes(-6), p.Txn),
            Forgery.SignedInTheFuture => kind.Sign(p, "", now.AddMinutes(6), p.Txn),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };
    }

    private static string Altered(string body, long amount)
    {
        var altered = body.Replace($"\"amount\":{amount}", $"\"amount\":{amount - 1_000}");
        Assert.NotEqual(body, altered); // the forgery really changed what was signed
        return altered;
    }

    [Fact]
    public void Every_enabled_provider_has_a_row()
    {
        var enabled = _api.Services.GetRequiredService<ProviderRegistry>().EnabledCodes.Order().ToList();
        Assert.Equal(enabled, Kinds().Select(k => k.Provider).Order().ToList());
    }

    [Fact]
    public async Task Forged_and_stale_signatures_are_refused_on_every_callback_and_change_nothing()
    {
        foreach (var kind in Kinds())
        {
            var p = await StartAsync(kind, $"SIG-{kind.Provider}");
            var forgeries = Enum.GetValues<Forgery>().Where(f => kind.SignsTime || f is not (Forgery.SignedTooLongAgo or Forgery.SignedInTheFuture));
            foreach (var forgery in forgeries)
            {
                var forged = Forge(kind, p, forgery);
                Assert.NotEqual(kind.Sign(p, "", _api.Clock.GetUtcNow(), p.Txn), forged); // the forgery changed what is sent
                var response = await SendAsync(forged);
                Assert.True(await kind.Refused(response), $"{kind.Provider} / {forgery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                var orderId = new PaymentOrderId(Guid.Parse(p.OrderId));
                Assert.Equal("awaiting_payment", (await _api.Portal().GetOrderAsync(p.OrderId)).GetProperty("status").GetString());
                Assert.Equal((0, 0, 0), _api.Db(db => (db.Receipts.Count(r => r.OrderId == orderId), db.LedgerTransactions.Count(t => t.OrderId == orderId),
                    db.ReconciliationItems.Count())));
            }
            // The same notification, genuinely signed, pays: the refusals above were about the signature alone.
            var genuine = await SendAsync(kind.Sign(p, "", _api.Clock.GetUtcNow(), p.Txn));
            Assert.True(genuine.IsSuccessStatusCode, $"{kind.Provider} genuine: {(int)genuine.StatusCode}");
            Assert.Equal("paid", (await _api.Portal().GetOrderAsync(p.OrderId)).GetProperty("status").GetString());
        }
    }
}
