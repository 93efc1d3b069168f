using Payments.Providers.Contract;
using Payments.Providers.Sandbox;
using Payments.Providers.VnptPay;
using Payments.Providers.Wallet;

namespace Payments.Providers;

/// <summary>Builds the provider map from configuration sections Payments:Providers:&lt;code&gt;.</summary>
public static class ProvidersModule
{
    /// <summary>Every provider code this build knows, enabled or not.</summary>
    public static readonly IReadOnlyList<string> KnownCodes = ["sandbox", "vnptpay", "vietqr", "stripe", "counter"];

    /// <summary>The wallet-contract providers and their simulator paths (used when PayUrl/QueryUrl are not set).</summary>
    public static readonly IReadOnlyDictionary<string, (string PayUrl, string QueryUrl)> WalletSimulators = new Dictionary<string, (string, string)>
    {
        [SandboxProvider.ProviderCode] = ("/sandbox/wallet/pay", "/sandbox/wallet/api"),
        [VnptPayProvider.ProviderCode] = (VnptPayProvider.SimulatorPayUrl, VnptPayProvider.SimulatorQueryUrl),
    };

    /// <param name="walletOptions">Options of a wallet provider by code.</param>
    /// <param name="httpFor">The resilient HTTP client a provider's outbound calls use.</param>
    public static ProviderRegistry BuildRegistry(Func<string, WalletOptions> walletOptions, Func<string, Func<HttpClient>> httpFor,
        VietQr.VietQrOptions vietQr, Stripe.StripeOptions stripe, IEnumerable<IPaymentProvider>? others = null)
    {
        var enabled = new List<IPaymentProvider>();
        foreach (var (code, (payUrl, queryUrl)) in WalletSimulators)
        {
            var o = walletOptions(code);
            if (!o.Enabled) continue;
            if (string.IsNullOrEmpty(o.PayUrl)) o.PayUrl = payUrl;
            if (string.IsNullOrEmpty(o.QueryUrl)) o.QueryUrl = queryUrl;
            enabled.Add(code == SandboxProvider.ProviderCode ? new SandboxProvider(o, httpFor(code)) : new VnptPayProvider(o, httpFor(code)));
        }
        if (vietQr.Enabled) enabled.Add(new VietQr.VietQrProvider(vietQr));
        if (stripe.Enabled) enabled.Add(new Stripe.StripeProvider(stripe, httpFor(Stripe.StripeProvider.ProviderCode)));
        if (others is not null) enabled.AddRange(others);
        return new ProviderRegistry(enabled, KnownCodes);
    }
}
