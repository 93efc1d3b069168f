using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Payments.Domain.Common;
using Payments.Providers.Contract;

namespace Payments.Providers.VietQr;

public sealed class VietQrOptions
{
    public bool Enabled { get; set; }
    /// <summary>The receiving bank's 6-digit BIN (e.g. 970436 Vietcombank).</summary>
    public string Bin { get; set; } = "";
    public string AccountNumber { get; set; } = "";
    public string AccountName { get; set; } = "";
    /// <summary>HMAC-SHA256 key of the bank's credit notifications (header X-Signature).</summary>
    public string NotifySecret { get; set; } = "";
    /// <summary>Optional display name; defaults to the known name of the BIN.</summary>
    public string? BankName { get; set; }
}

/// <summary>
/// Bank transfer by VietQR (NAPAS 247). The attempt is a dynamic QR whose transfer content carries the order's
/// short payment code; the bank's signed credit notification confirms it. A credit is matched by that code and the
/// amount; anything else becomes a reconciliation item (the host decides), never a silent drop.
/// </summary>
public sealed partial class VietQrProvider : IPaymentProvider
{
    public const string ProviderCode = "vietqr";
    public const string SignatureHeader = "X-Signature";

    /// <summary>Known BINs (VIETNAM.md §2); configuration can name any other.</summary>
    public static readonly IReadOnlyDictionary<string, string> Banks = new Dictionary<string, string>
    {
        ["970436"] = "Vietcombank", ["970415"] = "VietinBank", ["970418"] = "BIDV", ["970405"] = "Agribank",
        ["970407"] = "Techcombank", ["970422"] = "MB", ["970416"] = "ACB", ["970403"] = "Sacombank",
        ["970432"] = "VPBank", ["970423"] = "TPBank",
    };

    private readonly VietQrOptions _options;

    public VietQrProvider(VietQrOptions options)
    {
        if (options.Bin.Length != 6 || !options.Bin.All(char.IsAsciiDigit))
            throw new InvalidOperationException("Payments:Providers:vietqr:Bin must be the bank's 6-digit BIN.");
        if (options.AccountNumber.Length is 0 or > 19) throw new InvalidOperationException("Payments:Providers:vietqr:AccountNumber is required (≤ 19).");
        if (options.NotifySecret.Length < 16) throw new InvalidOperationException("Payments:Providers:vietqr:NotifySecret needs at least 16 characters.");
        _options = options;
    }

    public string Code => ProviderCode;
    public ProviderCapabilities Capabilities => ProviderCapabilities.Qr;
    public string BankName => _options.BankName ?? Banks.GetValueOrDefault(_options.Bin, _options.Bin);
    public string AccountNumber => _options.AccountNumber;
    public string AccountName => _options.AccountName;

    /// <summary>A new payment code: "TT" and 8 characters without look-alikes; what the citizen types if not scanning.</summary>
    public static string NewPaymentCode(Func<int, string> randomCode) => "TT" + randomCode(8);

    public string PayloadFor(string paymentCode, Money amount) => VietQrPayload.Build(new VietQrPayload.Fields(
        _options.Bin, _options.AccountNumber, VietQrPayload.ToAccount, amount.Minor, paymentCode, paymentCode));

    public Task<AttemptStart> StartAttemptAsync(AttemptRequest request, CancellationToken ct)
    {
        if (request.Amount.Currency != Currency.Vnd) throw new ArgumentException("VietQR takes VND only.");
        return Task.FromResult(new AttemptStart(QrPayload: PayloadFor(request.ProviderReference, request.Amount)));
    }

    public CallbackVerification VerifyCallback(CallbackRequest request)
    {
        var given = request.Header(SignatureHeader)?.Trim().ToLowerInvariant() ?? "";
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_options.NotifySecret), request.Body));
        if (given.Length != expected.Length || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), Encoding.ASCII.GetBytes(expected)))
            return CallbackVerification.Rejected(CallbackResult.InvalidSignature);

        BankCreditLine? line;
        try { line = JsonSerializer.Deserialize<BankCreditLine>(request.Body, JsonOptions); }
        catch (JsonException) { return CallbackVerification.Rejected(CallbackResult.Error); }
        if (line is null || string.IsNullOrWhiteSpace(line.BankTxnId) || line.Account != _options.AccountNumber)
            return CallbackVerification.Rejected(CallbackResult.Error);

        var candidates = PaymentCodeCandidates(line.Content);
        var credit = new BankCredit(line.BankTxnId, line.Account, line.Content ?? "", line.BookedAt ?? request.ReceivedAt) { Candidates = candidates };
        return CallbackVerification.Verified(new ProviderNotification(
            candidates.FirstOrDefault() ?? "", line.BankTxnId, line.Amount > 0 ? Money.Vnd(line.Amount) : null,
            NotificationOutcome.Succeeded, "credit") { Credit = credit });
    }

    /// <summary>The bank only needs to know we took the line: 200 with a small JSON, 401 for a bad signature.</summary>
    public CallbackAnswer Answer(CallbackResult result) => result switch
    {
        CallbackResult.InvalidSignature => new(401, "application/json", """{"ok":false,"error":"invalid_signature"}"""),
        CallbackResult.Error => new(400, "application/json", """{"ok":false,"error":"unreadable"}"""),
        CallbackResult.AlreadyConfirmed => new(200, "application/json", """{"ok":true,"duplicate":true}"""),
        _ => new(200, "application/json", """{"ok":true}"""),
    };

    /// <summary>Citizens type the content by hand: match case-insensitively, ignoring spaces and punctuation.</summary>
    public static string? FindPaymentCode(string? content) => PaymentCodeCandidates(content).FirstOrDefault();

    /// <summary>Every place a code could start; see <see cref="Domain.Reconciliation.PaymentCodes"/>.</summary>
    public static IReadOnlyList<string> PaymentCodeCandidates(string? content) => Domain.Reconciliation.PaymentCodes.Candidates(content);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict };

    private sealed record BankCreditLine(string BankTxnId, string Account, long Amount, string? Content, DateTimeOffset? BookedAt);
}
