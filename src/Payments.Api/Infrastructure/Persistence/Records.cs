namespace Payments.Api.Infrastructure.Persistence;

/// <summary>A collecting agency (cơ quan thu): the organisation printed on its receipts.</summary>
public sealed class Agency
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public required string TaxCode { get; set; }
    public string? Address { get; set; }
}

/// <summary>A portal system allowed to call the API for one agency. Only the SHA-256 of its key is stored.</summary>
public sealed class ApiClient
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; init; }
    public required string AgencyCode { get; init; }
    public required string KeyHash { get; init; }
    /// <summary>First characters of the key, to tell keys apart in lists without revealing them.</summary>
    public required string KeyPrefix { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>Space-separated: "portal" (orders, attempts, refunds) and "finance" (receipt cancel/replace, reports).</summary>
    public string Scopes { get; init; } = "portal";
    /// <summary>Where the portal receives signed events about its agency's orders; null for none.</summary>
    public string? WebhookUrl { get; set; }
    /// <summary>The HMAC key events are signed with (shown once when set; the receiver keeps a copy to verify).</summary>
    public string? WebhookSecret { get; set; }
}

public enum DeliveryStatus { Pending, Delivered, GaveUp }

/// <summary>
/// One event for one portal: retried with exponential backoff until delivered or three days have passed, each attempt
/// logged. A node works on a delivery only while it holds its lease, so two nodes never send it at the same time.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid EventId { get; init; }
    public required string EventType { get; init; }
    public Guid ApiClientId { get; init; }
    public required string AgencyCode { get; init; }
    public required string Url { get; set; }
    public required string PayloadJson { get; init; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>Retries stop after this (three days from creation, or from a manual resend).</summary>
    public DateTimeOffset RetryUntil { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    /// <summary>Changed on every claim and update: a node that lost its lease cannot overwrite another's result.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();
}

/// <summary>The delivery log: one row per HTTP attempt.</summary>
public sealed class WebhookAttempt
{
    public long Id { get; init; }
    public Guid DeliveryId { get; init; }
    public DateTimeOffset At { get; init; }
    public int? StatusCode { get; init; }
    public string? Error { get; init; }
    public int DurationMs { get; init; }
    public required string Node { get; init; }
}

/// <summary>Who changed what, when, why, with the state before and after. Written in the change's own transaction.</summary>
public sealed class AuditEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public required string EntityType { get; init; }
    public required string EntityId { get; init; }
    /// <summary>The agency whose data changed (empty for province-wide changes): staff see their own agency's trail.</summary>
    public string AgencyCode { get; init; } = "";
    public string? BeforeJson { get; init; }
    public string? AfterJson { get; init; }
    public string? Reason { get; init; }
}

/// <summary>
/// The stored answer to one (client, Idempotency-Key). Written in the same transaction as the order it created,
/// behind a unique index: two racing requests cannot both commit.
/// </summary>
public sealed class IdempotencyRecord
{
    public required Guid ClientId { get; init; }
    public required string Key { get; init; }
    public required string RequestHash { get; init; }
    public required int StatusCode { get; init; }
    public required string ResponseJson { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A message for another system, written in the transaction of the change it reports.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Type { get; init; }
    public required string AggregateId { get; init; }
    public required string PayloadJson { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int DeliveryAttempts { get; set; }
    /// <summary>The node dispatching it holds it until then; a crashed node's lease simply runs out.</summary>
    public DateTimeOffset LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
}

/// <summary>
/// One imported statement or settlement report. The file's SHA-256 is unique: the same file imported again is
/// recognised and changes nothing. The counts are what the import reported.
/// </summary>
public sealed class StatementImport
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Sha256 { get; init; }
    public required string FileName { get; init; }
    public required string Format { get; init; }
    /// <summary>The provider whose payments the file settles (vietqr for bank statements, vnptpay for the wallet's report).</summary>
    public required string Provider { get; init; }
    public required string AgencyCode { get; init; }
    public required string ImportedBy { get; init; }
    public DateTimeOffset ImportedAt { get; init; }
    public DateTimeOffset PeriodFrom { get; init; }
    public DateTimeOffset PeriodTo { get; init; }
    public int Lines { get; init; }
    public int Matched { get; init; }
    public int AmountMismatch { get; init; }
    public int UnknownCredit { get; init; }
    public int MissingCredit { get; init; }
    public int Duplicate { get; init; }
    public int AlreadyImported { get; init; }
    public int Ignored { get; init; }
}

/// <summary>A statement line as imported, with what reconciliation made of it. (Account, bank transaction id) is unique.</summary>
public sealed class StatementLineRecord
{
    public long Id { get; init; }
    public Guid ImportId { get; init; }
    public required string Account { get; init; }
    public required string BankTxnId { get; init; }
    public DateTimeOffset BookedAt { get; init; }
    public long Amount { get; init; }
    public required string Content { get; init; }
    public int Outcome { get; init; }
    public Guid? AttemptId { get; init; }
}

/// <summary>
/// A named lease for work that one node at a time should do (the janitor's sweep). Claimed by a compare-and-set
/// update; it simply runs out if its holder dies.
/// </summary>
public sealed class Lease
{
    public required string Name { get; init; }
    public string? Owner { get; set; }
    public DateTimeOffset Until { get; set; }
}
