using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Payments.Api.Infrastructure.Http;

/// <summary>
/// Per-address limits on the routes anyone can reach: the citizen's pages (payment page, QR images, receipt download,
/// verification), provider callbacks and staff sign-in. Portal API keys are authenticated, audited and per agency,
/// so they are not limited here. A refusal is 429 with Retry-After and a ProblemDetails `rate_limited`.
/// Limits: Payments:RateLimits:{Public|Callbacks|SignIn}:PermitLimit per Window (a fixed window).
/// </summary>
public static class RateLimits
{
    public const string Public = "public";
    public const string Callbacks = "callbacks";
    public const string SignIn = "signin";

    private static readonly (string Name, string Section, int Permits)[] Policies =
    [
        (Public, "Public", 300),     // a citizen's browser refreshing a payment page every few seconds stays far below
        (Callbacks, "Callbacks", 1200), // a provider's notification server, per address
        (SignIn, "SignIn", 30),      // with Identity's lockout per account after 5 failures
    ];

    /// <summary>Limits are read when the options are first built (after the host is configured, tests included).</summary>
    public static IServiceCollection AddPaymentsRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((o, config) =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            foreach (var (name, section, permits) in Policies)
            {
                var limit = config.GetValue($"Payments:RateLimits:{section}:PermitLimit", permits);
                var window = config.GetValue($"Payments:RateLimits:{section}:Window", TimeSpan.FromMinutes(1));
                o.AddPolicy(name, http => RateLimitPartition.GetFixedWindowLimiter(
                    http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0, AutoReplenishment = true }));
            }
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await http.Response.WriteAsJsonAsync(Problems.Build(429, "rate_limited", "Too many requests from this address; try again later."),
                    (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", ct);
            };
        });
        return services;
    }
}
