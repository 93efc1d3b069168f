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
