using System.Security.Cryptography;
using System.Text;

namespace Payments.Providers.Wallet;

/// <summary>
/// HMAC-SHA512 over the vnp_* parameters except the hash fields, empty values dropped, keys sorted ordinally,
/// keys and values form-URL-encoded (space as '+', upper-case %XX), joined k=v with '&amp;'; lower-case hex.
/// </summary>
public static class WalletSignature
{
    public static string SignData(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters
            .Where(p => p.Key.StartsWith(WalletFields.Prefix, StringComparison.Ordinal)
                        && p.Key != WalletFields.SecureHash && p.Key != WalletFields.SecureHashType
                        && !string.IsNullOrEmpty(p.Value))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => FormEncode(p.Key) + "=" + FormEncode(p.Value)));

    public static string Sign(IEnumerable<KeyValuePair<string, string>> parameters, string secret) =>
        Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(SignData(parameters))));

    /// <summary>Constant-time check of the parameters' own vnp_SecureHash.</summary>
    public static bool Verify(IReadOnlyDictionary<string, string> parameters, string secret)
    {
        if (!parameters.TryGetValue(WalletFields.SecureHash, out var given) || given.Length != 128) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(parameters, secret));
        var actual = Encoding.ASCII.GetBytes(given.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>HMAC-SHA512 over values joined with '|' in a fixed field order (missing fields count as empty).</summary>
    public static string SignPiped(IReadOnlyDictionary<string, string> fields, IEnumerable<string> order, string secret) =>
        Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(string.Join('|', order.Select(k => fields.TryGetValue(k, out var v) ? v : "")))));

    public static bool VerifyPiped(IReadOnlyDictionary<string, string> fields, IEnumerable<string> order, string secret)
    {
        if (!fields.TryGetValue(WalletFields.SecureHash, out var given) || given.Length != 128) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SignPiped(fields, order, secret)),
            Encoding.ASCII.GetBytes(given.ToLowerInvariant()));
    }

    /// <summary>application/x-www-form-urlencoded as PHP's urlencode: A–Z a–z 0–9 - _ . kept, space '+', rest %XX.</summary>
    public static string FormEncode(string value)
    {
        var sb = new StringBuilder(value.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') sb.Append(c);
            else if (c == ' ') sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }

    /// <summary>Query string with the signature appended, as the wallet expects it.</summary>
    public static string ToSignedQuery(IReadOnlyDictionary<string, string> parameters, string secret) =>
        SignData(parameters) + "&" + WalletFields.SecureHash + "=" + Sign(parameters, secret);
}
