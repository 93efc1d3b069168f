using System.Globalization;
using System.Net.Http.Json;
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
    /// <summary>The wallet's query/refund API (JSON POST); a path means the simulator. Empty: no query or refund.</summary>
    public string QueryUrl { get; set; } = "";
}

/// <summary>
/// A wallet that speaks the gateway contract of VIETNAM.md §3: signed redirect to its hosted page, signed IPN
/// answered with RspCode/Message, signed query and refund calls. The offline sandbox and vnptpay are both this.
/// </summary>
public class WalletGateway : IQueryablePaymentProvider, IRefundablePaymentProvider
{
    private readonly WalletOptions _options;
    private readonly Func<HttpClient>? _api;

    /// <param name="api">Creates the client for the query/refund API (the host's, with its resilience pipeline), per call.</param>
    public WalletGateway(string code, WalletOptions options, Func<HttpClient>? api)
    {
        if (string.IsNullOrWhiteSpace(options.HashSecret) || options.HashSecret.Length < 16)
            throw new InvalidOperationException($"Provider '{code}' needs a HashSecret of at least 16 characters (configuration Payments:Providers:{code}:HashSecret).");
        if (string.IsNullOrWhiteSpace(options.TmnCode))
            throw new InvalidOperationException($"Provider '{code}' needs a TmnCode (configuration Payments:Providers:{code}:TmnCode).");
        if (!IsUrlOrPath(options.PayUrl))
            throw new InvalidOperationException($"Provider '{code}' needs a PayUrl: absolute, or a path on this service for the simulator.");
        if (options.QueryUrl.Length > 0 && (!IsUrlOrPath(options.QueryUrl) || api is null))
            throw new InvalidOperationException($"Provider '{code}' has an invalid QueryUrl.");
        Code = code;
        _options = options;
        _api = options.QueryUrl.Length > 0 ? api : null;
    }

    public string Code { get; }

    public ProviderCapabilities Capabilities =>
        ProviderCapabilities.Redirect | (_api is null ? ProviderCapabilities.None : ProviderCapabilities.Query | ProviderCapabilities.Refund);

    public Task<AttemptStart> StartAttemptAsync(AttemptRequest request, CancellationToken ct)
    {
        if (request.Amount.Currency != Currency.Vnd) throw new ArgumentException("The wallet takes VND only.");
        var parameters = new Dictionary<string, string>
        {
            [WalletFields.Version] = WalletFields.VersionValue,
            [WalletFields.Command] = WalletFields.PayCommand,
            [WalletFields.TmnCode] = _options.TmnCode,
            [WalletFields.Amount] = ToWalletAmount(request.Amount),
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

    public CallbackVerification VerifyCallback(CallbackRequest request)
    {
        var p = request.Parameters;
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
        return CallbackVerification.Verified(new ProviderNotification(reference, TransactionNo(p), ParseAmount(Get(p, WalletFields.Amount)),
            outcome, $"{response}/{status}"));
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

    public async Task<ProviderQueryResult> QueryAsync(QueryRequest request, CancellationToken ct)
    {
        var fields = Base(WalletFields.QueryCommand, request.ProviderReference, request.AttemptCreatedAt, request.Now,
            "Truy van giao dich " + request.ProviderReference);
        fields[WalletFields.SecureHash] = WalletSignature.SignPiped(fields, WalletFields.QuerySignOrder, _options.HashSecret);
        var answer = await CallAsync(fields, ct);
        var code = Get(answer, WalletFields.ResponseCode);
        if (code == WalletFields.ApiNotFound) return new ProviderQueryResult(ProviderPaymentState.NotFound, null, null, code);
        if (code != WalletFields.ApiOk) throw new ProviderException($"{Code} query answered {code}: {Get(answer, WalletFields.Message)}");
        var status = Get(answer, WalletFields.TransactionStatus);
        var state = status == WalletFields.CodeSuccess ? ProviderPaymentState.Succeeded
            : status is "01" or null or "" ? ProviderPaymentState.Pending
            : ProviderPaymentState.Failed;
        return new ProviderQueryResult(state, TransactionNo(answer), ParseAmount(Get(answer, WalletFields.Amount)), $"{code}/{status}");
    }

    public async Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken ct)
    {
        var fields = Base(WalletFields.RefundCommand, request.ProviderReference, request.TransactionDate, request.Now, request.Reason);
        fields[WalletFields.RequestId] = request.RequestId;
        fields[WalletFields.TransactionType] = request.Full ? WalletFields.RefundFull : WalletFields.RefundPartial;
        fields[WalletFields.Amount] = ToWalletAmount(request.Amount);
        fields[WalletFields.TransactionNo] = request.ProviderTransactionId;
        fields[WalletFields.CreateBy] = request.CreatedBy;
        fields[WalletFields.SecureHash] = WalletSignature.SignPiped(fields, WalletFields.RefundSignOrder, _options.HashSecret);
        var answer = await CallAsync(fields, ct);
        var code = Get(answer, WalletFields.ResponseCode) ?? "";
        // 94 = this RequestId was already processed: our earlier, retried call went through.
        var state = code is WalletFields.ApiOk or WalletFields.ApiDuplicateRequest ? RefundState.Succeeded : RefundState.Rejected;
        return new ProviderRefundResult(state, Get(answer, WalletFields.TransactionNo), code, Get(answer, WalletFields.Message) ?? "");
    }

    private Dictionary<string, string> Base(string command, string reference, DateTimeOffset transactionDate, DateTimeOffset now, string info) => new()
    {
        [WalletFields.RequestId] = Guid.NewGuid().ToString("N"),
        [WalletFields.Version] = WalletFields.VersionValue,
        [WalletFields.Command] = command,
        [WalletFields.TmnCode] = _options.TmnCode,
        [WalletFields.TxnRef] = reference,
        [WalletFields.OrderInfo] = info,
        [WalletFields.TransactionDate] = FormatDate(transactionDate),
        [WalletFields.CreateDate] = FormatDate(now),
        [WalletFields.IpAddr] = "127.0.0.1",
    };

    /// <summary>Posts a signed request and returns the answer only when its own signature checks.</summary>
    private async Task<IReadOnlyDictionary<string, string>> CallAsync(Dictionary<string, string> fields, CancellationToken ct)
    {
        if (_api is null) throw new InvalidOperationException($"Provider '{Code}' has no QueryUrl.");
        using var response = await _api().PostAsJsonAsync(_options.QueryUrl, fields, ct);
        if (!response.IsSuccessStatusCode) throw new ProviderException($"{Code} API answered HTTP {(int)response.StatusCode}.");
        var answer = await response.Content.ReadFromJsonAsync<Dictionary<string, JsonElement>>(ct)
                     ?? throw new ProviderException($"{Code} API answered an empty body.");
        var flat = answer.ToDictionary(kv => kv.Key, kv => kv.Value.ValueKind == JsonValueKind.String ? kv.Value.GetString()! : kv.Value.GetRawText());
        if (!WalletSignature.VerifyPiped(flat, WalletFields.ResponseSignOrder, _options.HashSecret))
            throw new ProviderException($"{Code} API answer has a bad signature; ignored.");
        return flat;
    }

    /// <summary>vnp_Amount is đồng × 100: anything not a non-negative whole multiple of 100 is not an amount of ours.</summary>
    internal static Money? ParseAmount(string? raw)
    {
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var scaled)) return null;
        if (scaled % WalletFields.AmountScale != 0) return null;
        return Money.Vnd(scaled / WalletFields.AmountScale);
    }

    public static string ToWalletAmount(Money amount) => checked(amount.Minor * WalletFields.AmountScale).ToString(CultureInfo.InvariantCulture);

    public static string FormatDate(DateTimeOffset instant) =>
        instant.ToVietnam().ToString(WalletFields.DateFormat, CultureInfo.InvariantCulture);

    private static string? TransactionNo(IReadOnlyDictionary<string, string> p)
    {
        var no = Get(p, WalletFields.TransactionNo);
        return string.IsNullOrEmpty(no) || no == "0" ? null : no;
    }

    private static bool IsUrlOrPath(string url) => Uri.TryCreate(url, UriKind.Absolute, out _) || url.StartsWith('/');

    private static string? Get(IReadOnlyDictionary<string, string> p, string key) => p.TryGetValue(key, out var v) ? v : null;
}
