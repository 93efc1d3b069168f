using Payments.Providers.Contract;
using Payments.Providers.Sandbox;
using Payments.Providers.Wallet;

namespace Payments.Providers;

/// <summary>Builds the provider map from configuration sections Payments:Providers:&lt;code&gt;.</summary>
public static class ProvidersModule
{
    /// <summary>Every provider code this build knows, enabled or not; the others arrive with their adapters.</summary>
    public static readonly IReadOnlyList<string> KnownCodes = ["sandbox", "vnptpay", "vietqr", "stripe", "counter"];

    public static ProviderRegistry BuildRegistry(Func<string, WalletOptions> walletOptions)
    {
        var enabled = new List<IPaymentProvider>();
        var sandbox = walletOptions(SandboxProvider.ProviderCode);
        if (sandbox.Enabled) enabled.Add(new SandboxProvider(sandbox));
        return new ProviderRegistry(enabled, KnownCodes);
    }
}
