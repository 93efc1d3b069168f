using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.Receipts;

/// <summary>
/// The issuer port: seals a receipt's canonical content. The built-in signer uses the organisation's X.509
/// certificate; a licensed e-receipt provider (which signs and registers receipts with the tax authority) plugs in
/// here instead.
/// </summary>
public interface IReceiptIssuerPort
{
    /// <summary>
    /// The seal of the receipt's canonical content. It only reads the content, so it may run on another thread while the
    /// receipt is being written (<see cref="ReceiptSealer"/>); it must not call out to slow services (queue those instead).
    /// </summary>
    ReceiptSeal Sign(Receipt receipt, DateTimeOffset now);
}

/// <summary>A signature over a receipt's canonical content and who made it.</summary>
public sealed record ReceiptSeal(string ContentSha256, string Signature, string Algorithm, string Subject, string Thumbprint, string Certificate,
    DateTimeOffset At);

public static class ReceiptSealing
{
    /// <summary>Signs now and records the seal on the receipt.</summary>
    public static void Seal(this IReceiptIssuerPort issuer, Receipt receipt, DateTimeOffset now) => receipt.Apply(issuer.Sign(receipt, now));

    public static void Apply(this Receipt receipt, ReceiptSeal seal) =>
        receipt.Seal(seal.ContentSha256, seal.Signature, seal.Algorithm, seal.Subject, seal.Thumbprint, seal.Certificate, seal.At);
}

/// <summary>Signs the SHA-256 of the canonical content with the certificate's private key (RSA PKCS#1 or ECDSA).</summary>
public sealed class CertificateReceiptSigner : IReceiptIssuerPort
{
    private readonly X509Certificate2 _certificate;
    private readonly string _algorithm, _subject, _thumbprint, _certificateBase64;
    // Taking the key out of the certificate builds a new key object each time (and leaves it to the finalizer): keep a
    // few, one per concurrent signer, instead of one per receipt.
    private readonly System.Collections.Concurrent.ConcurrentBag<AsymmetricAlgorithm> _keys = [];

    public CertificateReceiptSigner(X509Certificate2 certificate)
    {
        _certificate = certificate;
        var key = NewKey(); // tells the algorithm, then serves as the pool's first key
        _algorithm = key is RSA ? "RS256" : "ES256";
        _keys.Add(key);
        (_subject, _thumbprint, _certificateBase64) = (certificate.Subject, certificate.Thumbprint, Convert.ToBase64String(certificate.RawData));
    }

    public bool IsDevelopment => _subject.Contains("DEVELOPMENT ONLY", StringComparison.Ordinal);

    public ReceiptSeal Sign(Receipt receipt, DateTimeOffset now)
    {
        var data = Encoding.UTF8.GetBytes(receipt.ContentJson);
        var key = _keys.TryTake(out var pooled) ? pooled : NewKey();
        try
        {
            var signature = key is RSA rsa
                ? rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : ((ECDsa)key).SignData(data, HashAlgorithmName.SHA256);
            return new ReceiptSeal(receipt.ContentSha256, Convert.ToBase64String(signature), _algorithm, _subject, _thumbprint, _certificateBase64, now);
        }
        finally { _keys.Add(key); }
    }

    private AsymmetricAlgorithm NewKey() => (AsymmetricAlgorithm?)_certificate.GetRSAPrivateKey() ?? _certificate.GetECDsaPrivateKey()
        ?? throw new InvalidOperationException("The receipt certificate has no RSA or ECDSA private key.");
}

public static class ReceiptVerification
{
    /// <summary>The content hashes to what is stored and the stored signature checks with the stored certificate.</summary>
    public static bool SignatureChecks(Receipt r)
    {
        if (r.Signature is null || r.SignerCertificate is null) return false;
        var data = Encoding.UTF8.GetBytes(r.ContentJson);
        if (Convert.ToHexStringLower(SHA256.HashData(data)) != r.ContentSha256) return false;
        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(r.SignerCertificate));
            var signature = Convert.FromBase64String(r.Signature);
            return r.SignatureAlgorithm switch
            {
                "RS256" => cert.GetRSAPublicKey()?.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) == true,
                "ES256" => cert.GetECDsaPublicKey()?.VerifyData(data, signature, HashAlgorithmName.SHA256) == true,
                _ => false,
            };
        }
        catch (CryptographicException) { return false; }
    }
}

/// <summary>
/// Loads the organisation's certificate (Payments:Receipts:Certificate:Path/Password). With
/// Payments:Receipts:Certificate:GenerateDevelopment (Development and tests) a self-signed certificate whose subject
/// says DEVELOPMENT ONLY is created on first run; without either the service does not start.
/// </summary>
internal static class ReceiptCertificates
{
    public static X509Certificate2 Load(IConfiguration config, ILogger log)
    {
        var path = config["Payments:Receipts:Certificate:Path"];
        var password = config["Payments:Receipts:Certificate:Password"];
        if (!string.IsNullOrWhiteSpace(path) && File.Exists(path))
            return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        if (!config.GetValue<bool>("Payments:Receipts:Certificate:GenerateDevelopment"))
            throw new InvalidOperationException("Receipts need the organisation's signing certificate: set Payments:Receipts:Certificate:Path (a .pfx) and Password.");

        path = string.IsNullOrWhiteSpace(path) ? Path.Combine("data", "receipt-signer.development.pfx") : path;
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=DEVELOPMENT ONLY - Payments receipt signer, O=Payments demo", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, created.Export(X509ContentType.Pkcs12, password));
        log.LogWarning("Generated a DEVELOPMENT ONLY receipt signing certificate at {Path}; configure the organisation's certificate for real receipts", path);
        return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
    }
}
