using Payments.Domain.Common;
using Payments.Providers.Contract;
using Stripe;

namespace Payments.Providers.Stripe;

public sealed class StripeOptions
{
    public bool Enabled { get; set; }
    /// <summary>A test secret key (sk_test_…); a live key is refused.</summary>
    public string SecretKey { get; set; } = "";
    /// <summary>The webhook endpoint's signing secret (whsec_…).</summary>
    public string WebhookSecret { get; set; } = "";
    public string? PublishableKey { get; set; }
    /// <summary>Stripe's API base; tests point it at a local stub.</summary>
    public string ApiBase { get; set; } = StripeClient.DefaultApiBase;
    /// <summary>Seconds a webhook signature stays valid.</summary>
    public long ToleranceSeconds { get; set; } = 300;
}

/// <summary>
/// Stripe, for tests only: PaymentIntents in VND (zero-decimal: amounts are whole đồng), the library's webhook
/// signature check (timestamp tolerance, constant time) before any parsing, and refunds with idempotency keys.
/// </summary>
public sealed class StripeProvider : IQueryablePaymentProvider, IRefundablePaymentProvider
{
    public const string ProviderCode = "stripe";
    public const string ReferenceKey = "payments_reference";
    private readonly StripeOptions _options;
    private readonly Func<HttpClient> _http;

    public StripeProvider(StripeOptions options, Func<HttpClient> http)
    {
        if (!(options.SecretKey.StartsWith("sk_test_", StringComparison.Ordinal) || options.SecretKey.StartsWith("rk_test_", StringComparison.Ordinal)))
            throw new InvalidOperationException("Payments:Providers:stripe:SecretKey must be a test key (sk_test_…): this adapter never takes live money.");
        if (!options.WebhookSecret.StartsWith("whsec_", StringComparison.Ordinal))
            throw new InvalidOperationException("Payments:Providers:stripe:WebhookSecret (whsec_…) is required.");
        _options = options;
        _http = http;
    }

    public string Code => ProviderCode;
    public ProviderCapabilities Capabilities => ProviderCapabilities.Query | ProviderCapabilities.Refund;

    // Retries are the host's resilience pipeline's; Stripe's idempotency keys make retried writes safe.
    private StripeClient Client() => new(_options.SecretKey, httpClient: new SystemNetHttpClient(_http(), maxNetworkRetries: 0), apiBase: _options.ApiBase);

    public async Task<AttemptStart> StartAttemptAsync(AttemptRequest request, CancellationToken ct)
    {
        if (request.Amount.Currency != Currency.Vnd) throw new ArgumentException("This adapter charges VND.");
        PaymentIntent intent;
        try
        {
            intent = await new PaymentIntentService(Client()).CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = request.Amount.Minor, // VND is zero-decimal at Stripe too: no ×100
            Currency = "vnd",
            Description = request.OrderInfo,
            Metadata = new Dictionary<string, string> { [ReferenceKey] = request.ProviderReference },
            AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true },
        }, new RequestOptions { IdempotencyKey = "attempt-" + request.ProviderReference }, ct);
        }
        catch (StripeException ex) { throw new ProviderException("Stripe could not set up the payment: " + ex.Message, ex); }
        return new AttemptStart(ClientSecret: intent.ClientSecret, ProviderIntentId: intent.Id);
    }

    public CallbackVerification VerifyCallback(CallbackRequest request)
    {
        Event e;
        try
        {
            var json = System.Text.Encoding.UTF8.GetString(request.Body);
            e = EventUtility.ConstructEvent(json, request.Header("Stripe-Signature") ?? "", _options.WebhookSecret,
                _options.ToleranceSeconds, request.ReceivedAt.ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException)
        {
            return CallbackVerification.Rejected(CallbackResult.InvalidSignature); // bad or stale signature
        }
        if (e.Data.Object is not PaymentIntent intent || !intent.Metadata.TryGetValue(ReferenceKey, out var reference))
            return CallbackVerification.Rejected(CallbackResult.Confirmed); // verified, not ours to act on: acknowledge
        var outcome = e.Type switch
        {
            EventTypes.PaymentIntentSucceeded => NotificationOutcome.Succeeded,
            EventTypes.PaymentIntentPaymentFailed => NotificationOutcome.Failed,
            EventTypes.PaymentIntentCanceled => NotificationOutcome.CancelledByPayer,
            _ => (NotificationOutcome?)null,
        };
        if (outcome is null) return CallbackVerification.Rejected(CallbackResult.Confirmed);
        var amount = outcome == NotificationOutcome.Succeeded ? intent.AmountReceived : intent.Amount;
        return CallbackVerification.Verified(new ProviderNotification(reference, intent.Id,
            intent.Currency == "vnd" ? Money.Vnd(amount) : null, outcome.Value, e.Type));
    }

    public CallbackAnswer Answer(CallbackResult result) => result switch
    {
        CallbackResult.InvalidSignature => new(400, "application/json", """{"error":"invalid_signature"}"""),
        // Stripe retries non-2xx: an error on our side should be retried, everything else acknowledged.
        CallbackResult.Error => new(500, "application/json", """{"error":"retry"}"""),
        _ => new(200, "application/json", """{"received":true}"""),
    };

    public async Task<ProviderQueryResult> QueryAsync(QueryRequest request, CancellationToken ct)
    {
        if (request.ProviderIntentId is null) return new ProviderQueryResult(ProviderPaymentState.NotFound, null, null, "no-intent");
        PaymentIntent intent;
        try { intent = await new PaymentIntentService(Client()).GetAsync(request.ProviderIntentId, null, null, ct); }
        catch (StripeException ex) when (ex.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return new ProviderQueryResult(ProviderPaymentState.NotFound, null, null, "resource_missing");
        }
        catch (StripeException ex) { throw new ProviderException("Stripe query failed: " + ex.Message, ex); }
        if (!intent.Metadata.TryGetValue(ReferenceKey, out var reference) || reference != request.ProviderReference)
            throw new ProviderException("Stripe answered about another payment.");
        var state = intent.Status switch
        {
            "succeeded" => ProviderPaymentState.Succeeded,
            "canceled" => ProviderPaymentState.Failed,
            _ => ProviderPaymentState.Pending,
        };
        return new ProviderQueryResult(state, intent.Id, Money.Vnd(state == ProviderPaymentState.Succeeded ? intent.AmountReceived : intent.Amount), intent.Status);
    }

    public async Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken ct)
    {
        try
        {
            var refund = await new RefundService(Client()).CreateAsync(new RefundCreateOptions
            {
                PaymentIntent = request.ProviderTransactionId,
                Amount = request.Amount.Minor,
                Metadata = new Dictionary<string, string> { ["reason"] = request.Reason },
            }, new RequestOptions { IdempotencyKey = request.RequestId }, ct);
            return new ProviderRefundResult(refund.Status is "succeeded" or "pending" ? RefundState.Succeeded : RefundState.Rejected,
                refund.Id, refund.Status, refund.Status);
        }
        catch (StripeException ex) when (ex.HttpStatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.PaymentRequired)
        {
            return new ProviderRefundResult(RefundState.Rejected, null, ex.StripeError?.Code ?? "invalid_request", ex.Message);
        }
        catch (StripeException ex)
        {
            throw new ProviderException("Stripe refund failed: " + ex.Message, ex);
        }
    }
}
