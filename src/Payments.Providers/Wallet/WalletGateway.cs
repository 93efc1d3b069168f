using System.Globalization;
using System.Text.Json;
using Payments.Domain.Common;
using Payments.Providers.Contract;

namespace Payments.Providers.Wallet;

public sealed class WalletOptions
{
    public bool Enabled { get; set; }
    public string TmnCode { get; set; } = "";
    public string HashSecret { get; set; } = "";
    /// <summary>The wallet's hosted payment page; a path ("/sandbox/…") means our own simulator on this service.</summary>
    public string PayUrl { get; set; } = "";
}

/// <summary>
/// A wallet that speaks the gateway contract of VIETNAM.md §3: signed redirect to its hosted page, signed IPN
/// answered with RspCode/Message. The offline sandbox uses it today; the vnptpay adapter builds on it.
/// </summary>
public class WalletGateway : IPaymentProvider
{
    private readonly WalletOptions _options;

    public WalletGateway(string code, WalletOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.HashSecret) || options.HashSecret.Length < 16)
            throw new InvalidOperationException($"Provider '{code}' needs a HashSecret of at least 16 characters (configuration Payments:Providers:{code}:HashSecret).");
        if (string.IsNullOrWhiteSpace(options.TmnCode))
            throw new InvalidOperationException($"Provider '{code}' needs a TmnCode (configuration Payments:Providers:{code}:TmnCode).");
        if (!Uri.TryCreate(options.PayUrl, UriKind.Absolute, out _) && !options.PayUrl.StartsWith('/'))
            throw new InvalidOperationException($"Provider '{code}' needs a PayUrl: absolute, or a path on this service for the simulator.");
        Code = code;
        _options = options;
    }

    public string Code { get; }
    public virtual ProviderCapabilities Capabilities => ProviderCapabilities.Redirect;

    public Task<AttemptStart> StartAttemptAsync(AttemptRequest request, CancellationToken ct)
    {
        if (request.Amount.Currency != Currency.Vnd) throw new ArgumentException("The wallet takes VND only.");
        var parameters = new Dictionary<string, string>
        {
            [WalletFields.Version] = WalletFields.VersionValue,
            [WalletFields.Command] = WalletFields.PayCommand,
            [WalletFields.TmnCode] = _options.TmnCode,
            [WalletFields.Amount] = checked(request.Amount.Minor * WalletFields.AmountScale).ToString(CultureInfo.InvariantCulture),
            [WalletFields.CurrCode] = Currency.Vnd.Code,
            [WalletFields.TxnRef] = request.ProviderReference,
            [WalletFields.OrderInfo] = request.OrderInfo,
            [WalletFields.OrderType] = WalletFields.OrderTypeOther,
            [WalletFields.Locale] = request.Locale,
            [WalletFields.ReturnUrl] = request.ReturnUrl,
            [WalletFields.IpAddr] = request.PayerIp,
            [WalletFields.CreateDate] = FormatDate(request.Now),
            [WalletFields.ExpireDate] = FormatDate(request.ExpiresAt),
        };
        var url = _options.PayUrl + (_options.PayUrl.Contains('?') ? "&" : "?") + WalletSignature.ToSignedQuery(parameters, _options.HashSecret);
        return Task.FromResult(new AttemptStart(RedirectUrl: url));
    }

    public CallbackVerification VerifyCallback(IReadOnlyDictionary<string, string> p)
    {
        if (!WalletSignature.Verify(p, _options.HashSecret)) return CallbackVerification.Rejected(CallbackResult.InvalidSignature);
        // A correctly signed message for another merchant code is not ours to apply.
        if (Get(p, WalletFields.TmnCode) != _options.TmnCode) return CallbackVerification.Rejected(CallbackResult.InvalidSignature);
        var reference = Get(p, WalletFields.TxnRef);
        if (string.IsNullOrEmpty(reference)) return CallbackVerification.Rejected(CallbackResult.NotFound);

        var response = Get(p, WalletFields.ResponseCode);
        var status = Get(p, WalletFields.TransactionStatus);
        var outcome = response == WalletFields.CodeSuccess && status == WalletFields.CodeSuccess ? NotificationOutcome.Succeeded
            : response == WalletFields.CodeCancelledByCustomer ? NotificationOutcome.CancelledByPayer
            : NotificationOutcome.Failed;
        var transactionNo = Get(p, WalletFields.TransactionNo);
        return CallbackVerification.Verified(new ProviderNotification(
            reference,
            string.IsNullOrEmpty(transactionNo) || transactionNo == "0" ? null : transactionNo,
            ParseAmount(Get(p, WalletFields.Amount)),
            outcome,
            $"{response}/{status}"));
    }

    public CallbackAnswer Answer(CallbackResult result)
    {
        var (code, message) = result switch
        {
            CallbackResult.Confirmed => (WalletFields.RspConfirmed, "Confirm Success"),
            CallbackResult.InvalidSignature => (WalletFields.RspInvalidSignature, "Invalid signature"),
            CallbackResult.NotFound => (WalletFields.RspNotFound, "Order not found"),
            CallbackResult.InvalidAmount => (WalletFields.RspInvalidAmount, "Invalid amount"),
            CallbackResult.AlreadyConfirmed => (WalletFields.RspAlreadyConfirmed, "Order already confirmed"),
            _ => (WalletFields.RspOther, "Unknown error"),
        };
        return new CallbackAnswer(200, "application/json", JsonSerializer.Serialize(new { RspCode = code, Message = message }));
    }

    /// <summary>vnp_Amount is đồng × 100: anything not a non-negative whole multiple of 100 is not an amount of ours.</summary>
    internal static Money? ParseAmount(string? raw)
    {
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var scaled)) return null;
        if (scaled % WalletFields.AmountScale != 0) return null;
        return Money.Vnd(scaled / WalletFields.AmountScale);
    }

    public static string FormatDate(DateTimeOffset instant) =>
        instant.ToVietnam().ToString(WalletFields.DateFormat, CultureInfo.InvariantCulture);

    private static string? Get(IReadOnlyDictionary<string, string> p, string key) => p.TryGetValue(key, out var v) ? v : null;
}
