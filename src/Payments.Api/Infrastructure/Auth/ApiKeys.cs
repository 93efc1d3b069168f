using System.Security.Cryptography;
using System.Text;

namespace Payments.Api.Infrastructure.Auth;

public static class ApiKeys
{
    /// <summary>A new key: 256 bits from the OS CSPRNG, URL-safe, prefixed so leaked keys are easy to grep for.</summary>
    public static string Generate() => "pk_" + Tokens.NewUrlToken(32);

    /// <summary>Keys are random and long, so a plain SHA-256 is enough to store (no password stretching needed).</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string PrefixOf(string key) => key.Length <= 8 ? key : key[..8];
}

public static class Tokens
{
    /// <summary>base64url of <paramref name="bytes"/> bytes from the CSPRNG (24 bytes = 192 bits for pay tokens).</summary>
    public static string NewUrlToken(int bytes = 24) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>base64's 64 URL-safe symbols in ASCII order, so that the text of a token sorts like its bytes.</summary>
    private const string SortedBase64 = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    /// <summary>
    /// A 32-character URL-safe token for a row's unique index (pay and verify links): the Unix time in milliseconds
    /// (6 bytes, big-endian) then 18 bytes (144 bits) from the CSPRNG, in an alphabet that sorts like the bytes. Tokens
    /// made in the same moments share a prefix, so a new one lands in the index's last pages instead of a random page
    /// of it, and a commit writes one page of that index, not one per row (ADR-0029). The random part alone is what
    /// makes a token unguessable; the time it shows is on the page it opens anyway.
    /// </summary>
    public static string NewSortableToken(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[24];
        var ms = now.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--, ms >>= 8) bytes[i] = (byte)ms;
        RandomNumberGenerator.Fill(bytes[6..]);
        Span<char> chars = stackalloc char[32];
        for (int i = 0, c = 0; i < bytes.Length; i += 3)
        {
            var v = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
            chars[c++] = SortedBase64[v >> 18];
            chars[c++] = SortedBase64[v >> 12 & 63];
            chars[c++] = SortedBase64[v >> 6 & 63];
            chars[c++] = SortedBase64[v & 63];
        }
        return new string(chars);
    }

    private const string Base32 = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>Short upper-case code without look-alike characters (no I, O, 0, 1), for provider references.</summary>
    public static string NewCode(int length)
    {
        Span<byte> bytes = stackalloc byte[length];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = Base32[bytes[i] & 31];
        return new string(chars);
    }
}
