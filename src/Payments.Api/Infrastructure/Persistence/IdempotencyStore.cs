using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Http;
using Payments.Domain.Common;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// Idempotency-Key handling for writes (ADR-0005): the record is added to the command's own transaction behind the
/// (client, key) primary key, so a racing duplicate fails to commit, is re-run, and finds it here.
/// </summary>
public sealed class IdempotencyStore(PaymentsDbContext db)
{
    /// <summary>SHA-256 of the request as parsed (whitespace and key order do not matter, values do).</summary>
    public static string Hash<T>(string operation, T request) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { operation, request }, Json.Web)));

    /// <summary>The stored response for this key, 422 when the key was used for another request, or null when new.</summary>
    public async Task<Result<T>?> ReplayAsync<T>(Guid clientId, string key, string hash, CancellationToken ct)
    {
        var earlier = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.ClientId == clientId && r.Key == key, ct);
        if (earlier is null) return null;
        return earlier.RequestHash == hash
            ? Result<T>.Ok(JsonSerializer.Deserialize<T>(earlier.ResponseJson, Json.Web)!)
            : Result<T>.Fail(Error.Unprocessable("idempotency_key_reused", "This Idempotency-Key was already used with a different request."));
    }

    public void Remember<T>(Guid clientId, string key, string hash, int statusCode, T response, DateTimeOffset now) =>
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            ClientId = clientId,
            Key = key,
            RequestHash = hash,
            StatusCode = statusCode,
            ResponseJson = JsonSerializer.Serialize(response, Json.Web),
            CreatedAt = now,
        });
}
