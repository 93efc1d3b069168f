using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Outbox;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Ledger;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;

namespace Payments.Api.Tests;

/// <summary>
/// The crash test's invariants, read from the SQLite file (read-only) and the portal's webhook receiver: every order
/// answered 201 exists with its amount; every IPN answered 00/02 left its order paid, once — one valid receipt, one
/// payment journal entry, its attempt succeeded with that transaction —; no order is paid twice; receipt numbers are
/// 1..N per series; every journal entry balances; every committed outbox event reached the portal, signed.
/// </summary>
internal sealed class CrashChecks(string databasePath, Acknowledged acks, string webhookSecret)
{
    private static readonly OrderStatus[] Collected = [OrderStatus.Paid, OrderStatus.PartiallyRefunded, OrderStatus.Refunded];
    private readonly List<string> _failures = [];

    public string Summary { get; private set; } = "";

    private SqlitePaymentsDbContext ReadOnly() => new(new DbContextOptionsBuilder<SqlitePaymentsDbContext>()
        .UseSqlite($"Data Source={databasePath};Mode=ReadOnly")
        .UseModel(Infrastructure.Persistence.CompiledModels.Sqlite.SqlitePaymentsDbContextModel.Instance).Options);

    /// <summary>Waits until the running node has fanned out every event and made every delivery.</summary>
    public async Task SettleAsync(TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            await using var db = ReadOnly();
            var events = await db.Outbox.AsNoTracking().Where(m => m.DeliveredAt == null).Select(m => new { m.Id, m.Type, m.LeaseOwner }).ToListAsync();
            var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Status != DeliveryStatus.Delivered)
                .Select(d => new { d.EventId, d.Status, d.Attempts, d.LastError, d.LeaseOwner }).ToListAsync();
            if (events.Count + deliveries.Count == 0) return;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"the running node left {events.Count} event(s) and {deliveries.Count} delivery(ies) undelivered: "
                                           + string.Join("; ", events.Cast<object>().Concat(deliveries).Take(10)));
            await Task.Delay(200);
        }
    }

    /// <summary>Every check; fails with all that broke. <paramref name="nodes"/>: every process that served the file.</summary>
    public void Verify(WebhookReceiver receiver, IReadOnlyCollection<string> nodes)
    {
        using var db = ReadOnly();
        var orders = db.Orders.AsNoTracking().ToDictionary(o => o.Id.Value);
        var receipts = db.Receipts.AsNoTracking().Select(r => new { r.OrderId, r.Series, r.Number, r.Status }).ToList();
        var entries = db.LedgerTransactions.AsNoTracking().Include(t => t.Postings).ToList();
        var succeeded = db.Attempts.AsNoTracking().Where(a => a.Status == AttemptStatus.Succeeded)
            .Select(a => new { a.OrderId, a.ProviderTransactionId }).ToList().ToLookup(a => a.OrderId.Value);
        var outbox = db.Outbox.AsNoTracking().ToList();
        var deliveries = db.WebhookDeliveries.AsNoTracking().ToList();
        var senders = db.WebhookAttempts.AsNoTracking().Select(a => a.Node).Distinct().ToList();
        var validReceipts = receipts.Where(r => r.Status == ReceiptStatus.Valid).ToLookup(r => r.OrderId.Value);
        var payments = entries.Where(t => t.Kind == LedgerKind.Payment).ToLookup(t => t.OrderId!.Value.Value);
        var paidEvents = outbox.Where(m => m.Type == "payment_order.paid").ToLookup(m => Guid.Parse(m.AggregateId));

        Check(acks.Wrong.IsEmpty, $"answers no correct service gives: {string.Join("; ", acks.Wrong.Take(10))}");
        foreach (var (id, amount) in acks.Orders)
            Check(orders.TryGetValue(Guid.Parse(id), out var order) && order.Amount.Minor == amount,
                $"order {id} was answered 201 with {amount:N0} but is {(order is null ? "missing" : $"stored with {order.Amount.Minor:N0}")}");
        foreach (var (id, transaction) in acks.Paid)
        {
            var key = Guid.Parse(id);
            Check(orders.TryGetValue(key, out var order) && Collected.Contains(order.Status),
                $"order {id}: its IPN was answered 00/02 but the order is {order?.Status.ToString() ?? "missing"}");
            Check(succeeded[key].Any(a => a.ProviderTransactionId == transaction), $"order {id}: no attempt succeeded with transaction {transaction}");
        }
        foreach (var order in orders.Values)
        {
            var paid = Collected.Contains(order.Status) ? 1 : 0;
            var what = $"order {order.Id} ({order.Status})";
            Check(validReceipts[order.Id.Value].Count() == paid, $"{what}: {validReceipts[order.Id.Value].Count()} valid receipts");
            Check(payments[order.Id.Value].Count() == paid, $"{what}: {payments[order.Id.Value].Count()} payment journal entries");
            Check(succeeded[order.Id.Value].Count() == paid, $"{what}: {succeeded[order.Id.Value].Count()} successful attempts");
            Check(paidEvents[order.Id.Value].Count() == paid, $"{what}: {paidEvents[order.Id.Value].Count()} payment_order.paid events");
            Check(!order.RequiresRefundReview, $"{what}: held for refund review (paid twice?)");
        }
        foreach (var series in receipts.GroupBy(r => r.Series))
        {
            var numbers = series.Select(r => r.Number).Order().ToList();
            Check(numbers.SequenceEqual(Enumerable.Range(1, numbers.Count)), $"receipt numbers of {series.Key} are not 1..{numbers.Count}: {string.Join(",", numbers)}");
        }
        foreach (var t in entries)
            Check(t.Postings.Sum(p => p.Debit.Minor) == t.Postings.Sum(p => p.Credit.Minor), $"journal entry {t.Id} ({t.Kind}) does not balance");
        Check(entries.All(t => t.Kind == LedgerKind.Payment), $"journal entries other than payments: {string.Join(", ", entries.Select(t => t.Kind).Distinct())}");

        var received = receiver.Requests.ToList();
        var arrived = received.Select(r => r.EventId).ToHashSet();
        foreach (var message in outbox)
            Check(message.DeliveredAt is not null && arrived.Contains(message.Id.ToString()), $"outbox event {message.Id} ({message.Type}) never reached the portal");
        Check(deliveries.All(d => d.Status == DeliveryStatus.Delivered), $"{deliveries.Count(d => d.Status != DeliveryStatus.Delivered)} webhook deliveries not delivered");
        foreach (var r in received)
        {
            Check(WebhookSignature.Verify(webhookSecret, r.Signature, r.Body, DateTimeOffset.UtcNow), $"event {r.EventId}: the signature does not verify");
            using var body = JsonDocument.Parse(r.Body);
            Check(body.RootElement.GetProperty("id").GetString() == r.EventId, $"event {r.EventId}: its body names another id");
        }
        Check(senders.All(nodes.Contains), $"webhooks sent by unknown processes: {string.Join(", ", senders.Except(nodes))}");

        Summary = $"{orders.Count} orders stored ({acks.Orders.Count} acknowledged), {payments.Count} paid ({acks.Paid.Count} acknowledged), "
                  + $"{receipts.Count} receipts in {receipts.Select(r => r.Series).Distinct().Count()} series, {entries.Count} journal entries, "
                  + $"{outbox.Count} outbox events, {received.Count} webhooks received ({received.Count - arrived.Count} again)";
        Assert.True(_failures.Count == 0, $"{_failures.Count} invariant(s) broken after the crashes:\n{string.Join("\n", _failures.Take(30))}");
    }

    private void Check(bool condition, string failure)
    {
        if (!condition) _failures.Add(failure);
    }
}
