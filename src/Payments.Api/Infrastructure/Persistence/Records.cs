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
}
