using Payments.Api.Infrastructure;
using Payments.Api.Infrastructure.Pipeline;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Callbacks;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Orders;
using Payments.Providers.Contract;

namespace Payments.Api.Features.Janitor;

public sealed record SweepReport(int Queried, int Confirmed, int Failed, int Abandoned, int Expired, int QueryErrors);

/// <summary>
/// Keeps payments from getting stuck. Attempts past their deadline are first asked about at their provider (its
/// answer is applied exactly like a callback); only one the provider does not know, some minutes later, is
/// abandoned. Open orders past their expiry with no undecided attempt are expired. Provider calls happen outside
/// any transaction; each change is its own command.
/// </summary>
public sealed class Janitor(PaymentsDbContext db, ProviderRegistry providers, ISender sender, TimeProvider clock,
    IConfiguration config, ILogger<Janitor> log)
{
    private const int Batch = 200;

    public async Task<SweepReport> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var abandonAfter = config.GetValue("Payments:Janitor:AbandonAfter", TimeSpan.FromMinutes(15));
        int queried = 0, confirmed = 0, failed = 0, abandoned = 0, errors = 0;

        var overdue = await db.Attempts.AsNoTracking()
            .Where(a => (a.Status == AttemptStatus.Pending || a.Status == AttemptStatus.Superseded) && a.ExpiresAt < now)
            .OrderBy(a => a.ExpiresAt).Take(Batch).ToListAsync(ct);
        foreach (var attempt in overdue)
        {
            var state = ProviderPaymentState.NotFound;
            if (providers.Find(attempt.Provider).Provider is IQueryablePaymentProvider queryable)
            {
                try
                {
                    queried++;
                    var answer = await queryable.QueryAsync(new QueryRequest(attempt.ProviderReference, attempt.CreatedAt, now, attempt.ProviderIntentId), ct);
                    state = answer.State;
                    if (state is ProviderPaymentState.Succeeded or ProviderPaymentState.Failed)
                    {
                        var outcome = state == ProviderPaymentState.Succeeded ? NotificationOutcome.Succeeded : NotificationOutcome.Failed;
                        var applied = await sender.Send(new ApplyProviderNotification(attempt.Provider, new ProviderNotification(
                            attempt.ProviderReference, answer.ProviderTransactionId, answer.Amount, outcome, "query:" + answer.RawCode)), ct);
                        if (applied.IsSuccess && applied.Value == CallbackResult.Confirmed)
                            if (outcome == NotificationOutcome.Succeeded) confirmed++; else failed++;
                        continue;
                    }
                }
                catch (Exception ex) when (ProviderFaults.IsTransient(ex, ct))
                {
                    // Unknown is not "failed": ask again next round; never abandon on a provider error.
                    errors++;
                    log.LogWarning(ex, "Query of {Provider} attempt {Reference} failed", attempt.Provider, attempt.ProviderReference);
                    continue;
                }
            }
            if (state is ProviderPaymentState.NotFound or ProviderPaymentState.Pending && now >= attempt.ExpiresAt + abandonAfter)
                if ((await sender.Send(new AbandonAttempt(attempt.Id.Value), ct)) is { IsSuccess: true, Value: true }) abandoned++;
        }

        var dueOrders = await db.Orders.AsNoTracking()
            .Where(o => (o.Status == OrderStatus.Created || o.Status == OrderStatus.AwaitingPayment) && o.ExpiresAt <= now)
            .OrderBy(o => o.ExpiresAt).Select(o => o.Id).Take(Batch).ToListAsync(ct);
        var expired = 0;
        foreach (var id in dueOrders)
            if ((await sender.Send(new ExpireOrder(id.Value), ct)) is { IsSuccess: true, Value: true }) expired++;

        var report = new SweepReport(queried, confirmed, failed, abandoned, expired, errors);
        if (report != new SweepReport(0, 0, 0, 0, 0, 0)) log.LogInformation("Janitor sweep: {Report}", report);
        return report;
    }
}

/// <summary>Runs the janitor every Payments:Janitor:Interval (default 1 minute) while Payments:Janitor:Enabled.</summary>
public sealed class JanitorService(IServiceScopeFactory scopes, IConfiguration config, ILogger<JanitorService> log)
    : PeriodicWork(scopes, config, log, "Payments:Janitor", TimeSpan.FromMinutes(1))
{
    protected override async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        // On many nodes one sweeps at a time: the others find the lease held and wait for the next tick.
        if (!await Leases.TryClaimAsync(services, "janitor", TimeSpan.FromMinutes(5), ct)) return;
        try { await services.GetRequiredService<Janitor>().RunOnceAsync(ct); }
        finally { await Leases.ReleaseAsync(services, "janitor", CancellationToken.None); }
    }
}

/// <summary>Named leases by compare-and-set; see <see cref="Lease"/>.</summary>
public static class Leases
{
    private static string Node => PeriodicWork.Node;

    public static async Task<bool> TryClaimAsync(IServiceProvider services, string name, TimeSpan duration, CancellationToken ct)
    {
        var db = services.GetRequiredService<PaymentsDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        using var _ = await services.GetRequiredService<IWriteGate>().EnterAsync(ct);
        if (!await db.Leases.AnyAsync(l => l.Name == name, ct))
        {
            try
            {
                db.Leases.Add(new Lease { Name = name, Until = DateTimeOffset.MinValue });
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) { } // another node created it first
            db.ChangeTracker.Clear();
        }
        return await db.Leases.Where(l => l.Name == name && (l.Until < now || l.Owner == Node))
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Owner, Node).SetProperty(l => l.Until, now + duration), ct) == 1;
    }

    public static async Task ReleaseAsync(IServiceProvider services, string name, CancellationToken ct)
    {
        var db = services.GetRequiredService<PaymentsDbContext>();
        using var _ = await services.GetRequiredService<IWriteGate>().EnterAsync(ct);
        await db.Leases.Where(l => l.Name == name && l.Owner == Node)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Owner, (string?)null).SetProperty(l => l.Until, DateTimeOffset.MinValue), ct);
    }
}
