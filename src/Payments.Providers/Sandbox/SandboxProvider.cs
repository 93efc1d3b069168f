using Payments.Providers.Wallet;

namespace Payments.Providers.Sandbox;

/// <summary>
/// The offline simulator: the wallet contract, pointed at our own hosted page under /sandbox/wallet, so the whole
/// flow (redirect, payer's choice, signed IPN) runs with no network. Its secrets are for development only.
/// </summary>
public sealed class SandboxProvider(WalletOptions options) : WalletGateway(ProviderCode, options)
{
    public const string ProviderCode = "sandbox";
}
