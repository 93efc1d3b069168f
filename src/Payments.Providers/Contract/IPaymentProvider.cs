using Payments.Domain.Common;

namespace Payments.Providers.Contract;

[Flags]
public enum ProviderCapabilities
{
    None = 0,
    Redirect = 1,
    Qr = 2,
    Refund = 4,
    Query = 8,
}

/// <summary>What an adapter needs to start an attempt. Absolute URLs: adapters know nothing of HTTP hosting.</summary>
public sealed record AttemptRequest(
    string ProviderReference,
    Money Amount,
    string OrderInfo,
    string ReturnUrl,
    string PayerIp,
    string Locale,
    DateTimeOffset Now,
    DateTimeOffset ExpiresAt);

/// <summary>How the payer continues: a redirect URL, a QR payload or a client secret, by provider.</summary>
public sealed record AttemptStart(string? RedirectUrl = null, string? QrPayload = null, string? ClientSecret = null,
    string? ProviderIntentId = null);

/// <summary>A provider's callback exactly as it arrived: signatures are computed over these bytes and fields.</summary>
public sealed record CallbackRequest(
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    DateTimeOffset ReceivedAt)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

public enum NotificationOutcome
{
    Succeeded,
    Failed,
    CancelledByPayer,
}

/// <summary>A provider notification whose signature has been verified, parsed into our units.</summary>
/// <param name="Amount">In our minor units; null when the provider's figure is not a whole amount in them.</param>
public sealed record ProviderNotification(
    string ProviderReference,
    string? ProviderTransactionId,
    Money? Amount,
    NotificationOutcome Outcome,
    string ProviderCode)
{
    /// <summary>Set for bank credits: money that has arrived whether or not it matches an order.</summary>
    public BankCredit? Credit { get; init; }
}

/// <summary>One credit line of a bank account (a transfer that arrived).</summary>
public sealed record BankCredit(string BankTxnId, string Account, string Content, DateTimeOffset BookedAt)
{
    /// <summary>Every payment code the content might carry, in order; the first known one wins.</summary>
    public IReadOnlyList<string> Candidates { get; init; } = [];
}

/// <summary>The outcome of applying a notification, which each provider answers in its own wire format.</summary>
public enum CallbackResult
{
    Confirmed,
    InvalidSignature,
    NotFound,
    InvalidAmount,
    AlreadyConfirmed,
    Error,
}

/// <summary>A provider's answer to its own callback: status, content type and body.</summary>
public sealed record CallbackAnswer(int StatusCode, string ContentType, string Body);

/// <summary>Either a verified notification or the reason it was rejected before any parsing mattered.</summary>
public sealed record CallbackVerification(ProviderNotification? Notification, CallbackResult? Rejection)
{
    public static CallbackVerification Verified(ProviderNotification n) => new(n, null);
    public static CallbackVerification Rejected(CallbackResult why) => new(null, why);
}

/// <summary>
/// The narrow seam every online payment provider implements. Optional abilities (query, refund) are separate
/// interfaces an adapter implements only when it has them, and are announced in <see cref="Capabilities"/>.
/// </summary>
public interface IPaymentProvider
{
    string Code { get; }
    ProviderCapabilities Capabilities { get; }

    Task<AttemptStart> StartAttemptAsync(AttemptRequest request, CancellationToken ct);

    /// <summary>Signature first (constant time), then parsing. Never trusts a field before the signature checks.</summary>
    CallbackVerification VerifyCallback(CallbackRequest request);

    CallbackAnswer Answer(CallbackResult result);
}

public enum ProviderPaymentState { Succeeded, Failed, Pending, NotFound }

public sealed record QueryRequest(string ProviderReference, DateTimeOffset AttemptCreatedAt, DateTimeOffset Now, string? ProviderIntentId = null);

/// <summary>What the provider says of an attempt when asked (its answer is signed and verified by the adapter).</summary>
public sealed record ProviderQueryResult(ProviderPaymentState State, string? ProviderTransactionId, Money? Amount, string RawCode);

public interface IQueryablePaymentProvider : IPaymentProvider
{
    Task<ProviderQueryResult> QueryAsync(QueryRequest request, CancellationToken ct);
}

/// <param name="RequestId">Unique per refund: the provider's idempotency key, so a retried call cannot refund twice.</param>
public sealed record RefundRequest(string RequestId, string ProviderReference, string ProviderTransactionId, Money Amount,
    bool Full, DateTimeOffset TransactionDate, string CreatedBy, string Reason, DateTimeOffset Now);

public enum RefundState { Succeeded, Rejected }

public sealed record ProviderRefundResult(RefundState State, string? ProviderRefundId, string RawCode, string Message);

public interface IRefundablePaymentProvider : IPaymentProvider
{
    Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken ct);
}

/// <summary>A provider answered something we cannot trust or understand (bad signature, unknown code, transport).</summary>
public sealed class ProviderException(string message, Exception? inner = null) : Exception(message, inner);
