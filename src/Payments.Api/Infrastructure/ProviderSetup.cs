using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Payments.Api.Features.Sandbox;
using Payments.Providers;
using Payments.Providers.Contract;
using Payments.Providers.Wallet;

namespace Payments.Api.Infrastructure;

/// <summary>Provider options, their outbound HTTP clients (with resilience) and the registry.</summary>
internal static class ProviderSetup
{
    public static string ClientName(string code) => "provider:" + code;

    public static IServiceCollection AddPaymentProviders(this IServiceCollection services, IConfiguration config)
    {
        foreach (var code in ProvidersModule.KnownCodes)
        {
            services.Configure<WalletOptions>(code, config.GetSection($"Payments:Providers:{code}"));
            services.AddHttpClient(ClientName(code), (sp, c) => c.BaseAddress = SelfBaseAddress(sp))
                .AddResilienceHandler("provider", b => b
                    // Outer budget for the whole call including retries; each try has its own timeout.
                    .AddTimeout(TimeSpan.FromSeconds(20))
                    // Retried calls are reads (query) or carry the provider's idempotency key (refund RequestId), so
                    // a retry never repeats an effect: the wallet answers 94 "duplicate request" instead.
                    .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(200), UseJitter = true })
                    .AddTimeout(TimeSpan.FromSeconds(5)));
        }
        services.AddSingleton<WalletSimulatorState>();
        services.AddHttpClient(SandboxWallet.HttpClientName, (sp, c) => { c.Timeout = TimeSpan.FromSeconds(10); c.BaseAddress = SelfBaseAddress(sp); });
        services.AddSingleton(sp =>
        {
            var http = sp.GetRequiredService<IHttpClientFactory>();
            var vietQr = config.GetSection("Payments:Providers:vietqr").Get<Providers.VietQr.VietQrOptions>() ?? new();
            var stripe = config.GetSection("Payments:Providers:stripe").Get<Providers.Stripe.StripeOptions>() ?? new();
            return ProvidersModule.BuildRegistry(sp.GetRequiredService<IOptionsMonitor<WalletOptions>>().Get, code => () => http.CreateClient(ClientName(code)),
                vietQr, stripe);
        });
        return services;
    }

    /// <summary>
    /// Where this service can reach itself (the simulators live on it): Payments:PublicBaseUrl, else the first
    /// address the server listens on, else localhost.
    /// </summary>
    private static Uri SelfBaseAddress(IServiceProvider sp)
    {
        var configured = sp.GetRequiredService<IConfiguration>()["Payments:PublicBaseUrl"];
        if (!string.IsNullOrWhiteSpace(configured)) return new Uri(configured.TrimEnd('/') + "/");
        var address = sp.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null) return new Uri("http://localhost/");
        return new Uri(address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost")
            .Replace("://[::]", "://localhost").TrimEnd('/') + "/");
    }
}
