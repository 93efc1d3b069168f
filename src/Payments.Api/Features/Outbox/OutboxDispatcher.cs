using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;

namespace Payments.Api.Features.Outbox;

public sealed record OutboxReport(int Dispatched, int Sent, int Delivered, int Failed);

/// <summary>
/// Delivers the outbox: each event is fanned out into one webhook delivery per portal of the order's agency (and a
/// message to the citizen), then each due delivery is sent, signed, and retried with exponential backoff for three
/// days. Rows are claimed with leases by compare-and-set updates, which hold on every store: on many nodes, each
/// event is fanned out once and each delivery is in flight on at most one node; a crashed node's lease runs out.
/// Delivery is at least once — receivers deduplicate on the event id.
/// </summary>
public sealed class OutboxDispatcher(PaymentsDbContext db, IWriteGate gate, TimeProvider clock, IHttpClientFactory http, ICitizenNotifier notifier,
    Infrastructure.Telemetry.PaymentsMetrics metrics, ILogger<OutboxDispatcher> log)
{
    private static string Node => Infrastructure.PeriodicWork.Node;
    public static readonly TimeSpan RetryFor = TimeSpan.FromDays(3);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>30 s, 1 min, 2 min, … doubling up to 6 h between attempts.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(30 * Math.Pow(2, Math.Max(0, attempts - 1)), 6 * 3600));

    /// <summary>
    /// On SQLite one process owns the file, so at start-up every lease found in it was taken by a process that is gone
    /// (killed or crashed in the middle of a batch): released now, those events go out at once instead of waiting out
    /// the lease. The server stores keep their leases: another node may be holding them. Returns how many were released.
    /// </summary>
    public static async Task<int> ReleaseLeasesOfAGoneProcessAsync(PaymentsDbContext db, CancellationToken ct)
    {
        if (db.Store != StoreKind.Sqlite) return 0;
        // Almost always nothing to release: a plain look first, since the updates below would compile two EF queries.
        if ((await RowReader.ColumnAsync(db, LeasedSql)).Count == 0) return 0;
        var events = await db.Outbox.Where(m => m.DeliveredAt == null && m.LeaseOwner != null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, DateTimeOffset.MinValue).SetProperty(m => m.LeaseOwner, (string?)null), ct);
        var deliveries = await db.WebhookDeliveries.Where(d => d.Status == DeliveryStatus.Pending && d.LeaseOwner != null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, DateTimeOffset.MinValue).SetProperty(d => d.LeaseOwner, (string?)null)
                .SetProperty(d => d.Version, Guid.NewGuid()), ct);
        return events + deliveries;
    }

    private const string LeasedSql =
        "SELECT 1 FROM \"Outbox\" WHERE \"DeliveredAt\" IS NULL AND \"LeaseOwner\" IS NOT NULL " +
        "UNION ALL SELECT 1 FROM \"WebhookDeliveries\" WHERE \"Status\" = 'Pending' AND \"LeaseOwner\" IS NOT NULL LIMIT 1";

    public async Task<OutboxReport> RunOnceAsync(CancellationToken ct)
    {
        var dispatched = await DispatchAsync(ct);
        var (sent, delivered, failed) = await SendDueAsync(ct);
        return new OutboxReport(dispatched, sent, delivered, failed);
    }

    private async Task<int> DispatchAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var done = 0;
        foreach (var id in await ClaimEventsAsync(now, ct))
        {
            var message = await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id, ct);
            try
            {
                await FanOutAsync(message, now, ct);
                metrics.OutboxLag(now - message.CreatedAt);
                done++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Outbox event {EventId} ({Type}) could not be dispatched; retried when its lease runs out", message.Id, message.Type);
            }
        }
        return done;
    }

    public sealed record Claim(Guid Id, Guid Version);

    /// <summary>
    /// Claims up to 100 undelivered events. PostgreSQL: one statement, rows other nodes are claiming are skipped
    /// (FOR UPDATE SKIP LOCKED). Elsewhere: a compare-and-set update per row — correct on every store, one writer on SQLite.
    /// </summary>
    private async Task<IReadOnlyList<Guid>> ClaimEventsAsync(DateTimeOffset now, CancellationToken ct)
    {
        var until = now + Lease;
        if (db.Store == StoreKind.Postgres)
            return await db.Database.SqlQuery<Guid>($"""
                UPDATE "Outbox" SET "LeaseUntil" = {until}, "LeaseOwner" = {Node}
                WHERE "Id" IN (SELECT "Id" FROM "Outbox" WHERE "DeliveredAt" IS NULL AND "LeaseUntil" < {now}
                               ORDER BY "CreatedAt" LIMIT 100 FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """).ToListAsync(ct);
        var due = await db.Outbox.AsNoTracking().Where(m => m.DeliveredAt == null && m.LeaseUntil < now)
            .OrderBy(m => m.CreatedAt).Select(m => m.Id).Take(100).ToListAsync(ct);
        var claimed = new List<Guid>();
        foreach (var id in due)
            using (await gate.EnterAsync(ct))
                if (await db.Outbox.Where(m => m.Id == id && m.DeliveredAt == null && m.LeaseUntil < now)
                        .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, until).SetProperty(m => m.LeaseOwner, Node), ct) == 1)
                    claimed.Add(id); // otherwise another node has it
        return claimed;
    }

    /// <summary>Claims up to 50 due deliveries, each with a fresh version only the claimer knows (same two strategies as events).</summary>
    private async Task<IReadOnlyList<(Guid Id, Guid Lease)>> ClaimDeliveriesAsync(DateTimeOffset now, CancellationToken ct)
    {
        var until = now + Lease;
        if (db.Store == StoreKind.Postgres)
            return (await db.Database.SqlQuery<Claim>($"""
                UPDATE "WebhookDeliveries" SET "LeaseUntil" = {until}, "LeaseOwner" = {Node}, "Version" = gen_random_uuid()
                WHERE "Id" IN (SELECT "Id" FROM "WebhookDeliveries" WHERE "Status" = 'Pending' AND "NextAttemptAt" <= {now} AND "LeaseUntil" < {now}
                               ORDER BY "NextAttemptAt" LIMIT 50 FOR UPDATE SKIP LOCKED)
                RETURNING "Id", "Version"
                """).ToListAsync(ct)).Select(c => (c.Id, c.Version)).ToList();
        var due = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && d.LeaseUntil < now)
            .OrderBy(d => d.NextAttemptAt).Select(d => new { d.Id, d.Version }).Take(50).ToListAsync(ct);
        var claimed = new List<(Guid, Guid)>();
        foreach (var candidate in due)
        {
            var lease = Guid.NewGuid();
            using (await gate.EnterAsync(ct))
                if (await db.WebhookDeliveries.Where(d => d.Id == candidate.Id && d.Version == candidate.Version && d.LeaseUntil < now)
                        .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, until).SetProperty(d => d.LeaseOwner, Node).SetProperty(d => d.Version, lease), ct) == 1)
                    claimed.Add((candidate.Id, lease));
        }
        return claimed;
    }

    private async Task FanOutAsync(OutboxMessage message, DateTimeOffset now, CancellationToken ct)
    {
        var orderId = new PaymentOrderId(Guid.Parse(message.AggregateId));
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => new { o.AgencyCode, o.Payer }).SingleAsync(ct);
        var clients = await db.ApiClients.AsNoTracking()
            .Where(c => c.AgencyCode == order.AgencyCode && c.RevokedAt == null && c.WebhookUrl != null && c.WebhookSecret != null).ToListAsync(ct);
        var known = await db.WebhookDeliveries.Where(d => d.EventId == message.Id).Select(d => d.ApiClientId).ToListAsync(ct);
        var body = Body(message);
        using (await gate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var client in clients.Where(c => !known.Contains(c.Id)))
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    EventId = message.Id, EventType = message.Type, ApiClientId = client.Id, AgencyCode = order.AgencyCode, Url = client.WebhookUrl!,
                    PayloadJson = body, CreatedAt = now, NextAttemptAt = now, RetryUntil = now + RetryFor, LeaseUntil = DateTimeOffset.MinValue,
                });
            await db.SaveChangesAsync(ct);
            await db.Outbox.Where(m => m.Id == message.Id && m.LeaseOwner == Node)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.DeliveredAt, now).SetProperty(m => m.DeliveryAttempts, m => m.DeliveryAttempts + 1), ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        using var payload = JsonDocument.Parse(message.PayloadJson);
        if (CitizenTemplates.For(message.Type, payload.RootElement) is { } text && (order.Payer.Phone is not null || order.Payer.Email is not null))
            await notifier.NotifyAsync(new CitizenMessage(message.Id, order.Payer.Phone, order.Payer.Email, text.Subject, text.Text), ct);
    }

    /// <summary>The event as the portal receives it: its id first (to deduplicate on), then the payload.</summary>
    private static string Body(OutboxMessage message)
    {
        var node = JsonNode.Parse(message.PayloadJson)!.AsObject();
        var body = new JsonObject { ["id"] = message.Id };
        foreach (var (key, value) in node.ToList()) { node.Remove(key); body[key] = value; }
        return body.ToJsonString(Infrastructure.Http.Json.Web); // as stored: Vietnamese as UTF-8
    }

    private async Task<(int Sent, int Delivered, int Failed)> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var claims = await ClaimDeliveriesAsync(now, ct);
        int sent = 0, delivered = 0, failed = 0;
        foreach (var (candidateId, lease) in claims)
        {
            var delivery = await db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == candidateId, ct);
            var secret = await db.ApiClients.AsNoTracking().Where(c => c.Id == delivery.ApiClientId).Select(c => c.WebhookSecret).SingleAsync(ct) ?? "";
            var (status, error, took) = await SendAsync(delivery, secret, ct);
            sent++;
            var at = clock.GetUtcNow();
            var ok = status is >= 200 and < 300;
            var attempts = delivery.Attempts + 1;
            var next = at + Backoff(attempts);
            var final = ok ? DeliveryStatus.Delivered : next > delivery.RetryUntil ? DeliveryStatus.GaveUp : DeliveryStatus.Pending;
            using (await gate.EnterAsync(ct))
            {
                db.WebhookAttempts.Add(new WebhookAttempt { DeliveryId = delivery.Id, At = at, StatusCode = status, Error = error, DurationMs = took, Node = Node });
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
                // Only the lease holder records the outcome: a node whose lease ran out (and was taken over) changes nothing.
                await db.WebhookDeliveries.Where(d => d.Id == delivery.Id && d.Version == lease).ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, final).SetProperty(d => d.Attempts, attempts).SetProperty(d => d.LastStatusCode, status)
                    .SetProperty(d => d.LastError, error).SetProperty(d => d.DeliveredAt, ok ? at : null).SetProperty(d => d.NextAttemptAt, next)
                    .SetProperty(d => d.LeaseUntil, DateTimeOffset.MinValue).SetProperty(d => d.LeaseOwner, (string?)null).SetProperty(d => d.Version, Guid.NewGuid()), ct);
            }
            metrics.Webhook(ok);
            if (ok) delivered++;
            else
            {
                failed++;
                log.LogWarning("Webhook {EventType} {DeliveryId} to client {Client} failed ({Status} {Error}); {Next}", delivery.EventType, delivery.Id,
                    delivery.ApiClientId, status, error, final == DeliveryStatus.GaveUp ? "gave up after three days" : $"next attempt at {next:O}");
            }
        }
        return (sent, delivered, failed);
    }

    private async Task<(int? Status, string? Error, int Ms)> SendAsync(WebhookDelivery delivery, string secret, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new StringContent(delivery.PayloadJson, Encoding.UTF8, "application/json") };
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), delivery.PayloadJson));
            request.Headers.Add("Payments-Event-Id", delivery.EventId.ToString());
            request.Headers.Add("Payments-Event-Type", delivery.EventType);
            using var response = await http.CreateClient(WebhooksClient).SendAsync(request, ct);
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : response.ReasonPhrase, (int)watch.ElapsedMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (null, ex.Message.Length > 500 ? ex.Message[..500] : ex.Message, (int)watch.ElapsedMilliseconds);
        }
    }

    public const string WebhooksClient = "webhooks";
}

/// <summary>Runs the dispatcher every few seconds (<c>Payments:Outbox:Interval</c>; off with <c>Payments:Outbox:Enabled=false</c>).</summary>
public sealed class OutboxService(IServiceScopeFactory scopes, IConfiguration config, ILogger<OutboxService> log)
    : Infrastructure.PeriodicWork(scopes, config, log, "Payments:Outbox", TimeSpan.FromSeconds(2))
{
    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(ct);
}
