using System.Security.Cryptography;
using System.Text;

namespace Payments.Api.Features.Outbox;

/// <summary>
/// <c>Payments-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" with the client's secret&gt;</c>. Receivers
/// recompute it over the raw body, compare in constant time, and refuse a t more than 300 s from their clock
/// (docs/WEBHOOKS.md).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Payments-Signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    public static string Sign(string secret, long unixSeconds, string body) => $"t={unixSeconds},v1={Mac(secret, unixSeconds, body)}";

    private static string Mac(string secret, long unixSeconds, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unixSeconds}.{body}")));

    /// <summary>What a receiver does; used by the tests and shown in the docs.</summary>
    public static bool Verify(string secret, string header, string body, DateTimeOffset now)
    {
        long t = 0;
        string? v1 = null;
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) continue;
            if (kv[0] == "t") long.TryParse(kv[1], out t);
            else if (kv[0] == "v1") v1 = kv[1];
        }
        if (v1 is null || Math.Abs(now.ToUnixTimeSeconds() - t) > Tolerance.TotalSeconds) return false;
        var expected = Mac(secret, t, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(v1));
    }
}
