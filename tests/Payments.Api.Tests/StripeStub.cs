using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Payments.Api.Tests;

/// <summary>
/// A local stand-in for the parts of Stripe's API the adapter uses (no internet here): PaymentIntents, refunds with
/// idempotency keys. It listens on 127.0.0.1 on a free port and builds and signs webhook events as Stripe does.
/// </summary>
public sealed class StripeStub : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_test_only_0123456789abcdef";
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _intents = new();
    private readonly ConcurrentDictionary<string, string> _byIdempotencyKey = new();
    public ConcurrentBag<string> Requests { get; } = [];

    public string Url { get; }

    private StripeStub(WebApplication app, string url) { _app = app; Url = url; }

    public static async Task<StripeStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        StripeStub? stub = null;
        app.MapPost("/v1/payment_intents", (HttpRequest r) => stub!.CreateIntent(r));
        app.MapGet("/v1/payment_intents/{id}", (string id) => stub!.Get(id));
        app.MapPost("/v1/refunds", (HttpRequest r) => stub!.Refund(r));
        await app.StartAsync();
        stub = new StripeStub(app, app.Urls.First());
        return stub;
    }

    private async Task<IResult> CreateIntent(HttpRequest r)
    {
        var form = await r.ReadFormAsync();
        Requests.Add("create " + r.Headers["Idempotency-Key"]);
        var key = r.Headers["Idempotency-Key"].ToString();
        if (key.Length > 0 && _byIdempotencyKey.TryGetValue(key, out var existing)) return Results.Json(_intents[existing]);
        var id = "pi_" + Guid.NewGuid().ToString("N")[..24];
        var intent = new JsonObject
        {
            ["id"] = id, ["object"] = "payment_intent", ["amount"] = long.Parse(form["amount"]!), ["amount_received"] = 0,
            ["currency"] = form["currency"].ToString(), ["status"] = "requires_payment_method", ["client_secret"] = id + "_secret_test",
            ["livemode"] = false, ["metadata"] = new JsonObject { ["payments_reference"] = form["metadata[payments_reference]"].ToString() },
        };
        _intents[id] = intent;
        if (key.Length > 0) _byIdempotencyKey[key] = id;
        return Results.Json(intent);
    }

    private IResult Get(string id) =>
        _intents.TryGetValue(id, out var intent) ? Results.Json(intent)
            : Results.Json(new { error = new { type = "invalid_request_error", code = "resource_missing", message = "No such payment_intent" } }, statusCode: 404);

    private async Task<IResult> Refund(HttpRequest r)
    {
        var form = await r.ReadFormAsync();
        var key = r.Headers["Idempotency-Key"].ToString();
        Requests.Add("refund " + key);
        if (_byIdempotencyKey.TryGetValue("refund:" + key, out var done)) return Results.Json(JsonNode.Parse(done));
        var intent = _intents[form["payment_intent"]!];
        var amount = long.Parse(form["amount"]!);
        var refunded = intent["amount_refunded"]?.GetValue<long>() ?? 0;
        if (intent["status"]!.GetValue<string>() != "succeeded" || refunded + amount > intent["amount_received"]!.GetValue<long>())
            return Results.Json(new { error = new { type = "invalid_request_error", code = "amount_too_large", message = "Refund amount is greater than unrefunded amount" } }, statusCode: 400);
        intent["amount_refunded"] = refunded + amount;
        var refund = new JsonObject { ["id"] = "re_" + Guid.NewGuid().ToString("N")[..24], ["object"] = "refund", ["amount"] = amount,
            ["currency"] = "vnd", ["status"] = "succeeded", ["payment_intent"] = intent["id"]!.GetValue<string>() };
        _byIdempotencyKey["refund:" + key] = refund.ToJsonString();
        return Results.Json(refund);
    }

    /// <summary>The payer completed (or failed) the payment at Stripe.</summary>
    public void Settle(string intentId, string status, long? amountReceived = null, string? currency = null)
    {
        var intent = _intents[intentId];
        if (currency is not null) intent["currency"] = currency;
        intent["status"] = status;
        intent["amount_received"] = status == "succeeded" ? amountReceived ?? intent["amount"]!.GetValue<long>() : 0;
    }

    /// <summary>The webhook Stripe would send for the intent now, and its Stripe-Signature header at <paramref name="at"/>.</summary>
    public (string Body, string Signature) Event(string intentId, string type, DateTimeOffset at, string secret = WebhookSecret)
    {
        var body = new JsonObject
        {
            ["id"] = "evt_" + Guid.NewGuid().ToString("N")[..24], ["object"] = "event", ["api_version"] = global::Stripe.StripeConfiguration.ApiVersion,
            ["created"] = at.ToUnixTimeSeconds(), ["type"] = type, ["livemode"] = false, ["pending_webhooks"] = 1,
            ["data"] = new JsonObject { ["object"] = JsonNode.Parse(_intents[intentId].ToJsonString()) },
        }.ToJsonString();
        var t = at.ToUnixTimeSeconds();
        var v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
        return (body, $"t={t},v1={v1}");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
