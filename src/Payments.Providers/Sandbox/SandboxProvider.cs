using Payments.Providers.Wallet;

namespace Payments.Providers.Sandbox;

/// <summary>
/// The offline simulator: the wallet contract, pointed at our own pages under /sandbox/wallet, so the whole flow
/// (redirect, payer's choice, signed IPN, query, refund) runs with no network. Its secrets are for development only.
/// </summary>
public sealed class SandboxProvider(WalletOptions options, Func<HttpClient>? api) : WalletGateway(ProviderCode, options, api)
{
    public const string ProviderCode = "sandbox";
}
