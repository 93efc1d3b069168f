using Payments.Providers.Wallet;

namespace Payments.Providers.VnptPay;

/// <summary>
/// VNPT Pay (VNPT Money) e-wallet. Its merchant API is not public: this speaks the wallet gateway contract of
/// VIETNAM.md §3 with every wire name in <see cref="WalletFields"/>, so the real spec replaces that file.
/// Without configured URLs it points at the embedded simulator under /sandbox/vnptpay.
/// </summary>
public sealed class VnptPayProvider(WalletOptions options, Func<HttpClient>? api) : WalletGateway(ProviderCode, options, api)
{
    public const string ProviderCode = "vnptpay";
    public const string SimulatorPayUrl = "/sandbox/vnptpay/pay";
    public const string SimulatorQueryUrl = "/sandbox/vnptpay/api";
}
