using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Http;
using Payments.Domain.Common;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// Idempotency-Key handling for writes (ADR-0005): the record is added to the command's own transaction behind the
/// (client, key) primary key, so a racing duplicate fails to commit, is re-run, and finds it here. So does a command
/// that skipped the lookup on its first run (<see cref="LookUpFirst"/>).
/// </summary>
public sealed class IdempotencyStore(PaymentsDbContext db)
{
    /// <summary>SHA-256 of the request as parsed (whitespace and key order do not matter, values do).</summary>
    public static string Hash<T>(string operation, T request) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { operation, request }, Json.Fingerprint)));

    /// <summary>
    /// Whether a command must look its key up before it writes. Not on its first run in the transaction pipeline
    /// (ADR-0033): if the key was used before, the record's insert in the same transaction is refused by the primary key,
    /// and the command runs again, looking the key up then. A run that ends in a refusal inserts nothing, so it must
    /// look the key up before it answers: a stored response comes before a refusal, as when it was always looked up first.
    /// </summary>
    public bool LookUpFirst => db.CommandRun != 1;

    /// <summary>The stored response for this key, 422 when the key was used for another request, or null when new.</summary>
    public async Task<Result<T>?> ReplayAsync<T>(Guid clientId, string key, string hash, CancellationToken ct)
    {
        if (await ReplayStoredAsync<T>(clientId, key, hash, ct) is not { } stored) return null;
        return stored.IsSuccess ? Result<T>.Ok(stored.Value.Value) : Result<T>.Fail(stored.Error!);
    }

    /// <summary>As <see cref="ReplayAsync{T}"/>, with the stored response's JSON as it was first sent.</summary>
    public async Task<Result<StoredResponse<T>>?> ReplayStoredAsync<T>(Guid clientId, string key, string hash, CancellationToken ct)
    {
        // Plain SQL: on every create it is the one read, and EF's query pipeline cost more than the insert (ADR-0025).
        var earlier = await RowReader.FirstAsync(db, EarlierSql, r => (Hash: r.GetString(0), Json: r.GetString(1)), ct,
            ("@client", RowReader.MappingOf<IdempotencyRecord>(db, nameof(IdempotencyRecord.ClientId)), clientId),
            ("@key", RowReader.MappingOf<IdempotencyRecord>(db, nameof(IdempotencyRecord.Key)), key));
        if (earlier.Hash is null) return null;
        return earlier.Hash == hash
            ? new StoredResponse<T>(JsonSerializer.Deserialize<T>(earlier.Json, Json.Web)!, earlier.Json)
            : Result<StoredResponse<T>>.Fail(Error.Unprocessable("idempotency_key_reused", "This Idempotency-Key was already used with a different request."));
    }

    private const string EarlierSql =
        "SELECT \"RequestHash\", \"ResponseJson\" FROM \"IdempotencyRecords\" WHERE \"ClientId\" = @client AND \"Key\" = @key";

    /// <summary>Stores the response for this key; returns its JSON, which the caller may send as it is (serialized once).</summary>
    public string Remember<T>(Guid clientId, string key, string hash, int statusCode, T response, DateTimeOffset now)
    {
        var json = JsonSerializer.Serialize(response, Json.Web);
        db.Insert(new IdempotencyRecord
        {
            ClientId = clientId,
            Key = key,
            RequestHash = hash,
            StatusCode = statusCode,
            ResponseJson = json,
            CreatedAt = now,
        });
        return json;
    }
}

/// <summary>A stored response: as read back, and its JSON as stored (<see cref="Json.Web"/>, the HTTP pipeline's settings).</summary>
public sealed record StoredResponse<T>(T Value, string Json);
