using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Api.Pages.Shared;

namespace Payments.Api.Pages.Staff.Admin;

/// <summary>The portal webhook delivery log of an agency: status, attempts, last answer; a delivery can be sent again (audited).</summary>
public sealed class WebhooksModel(PaymentsDbContext db, UserManager<StaffUser> users, TimeProvider clock, IWriteGate gate, StaffText L) : StaffPageModel(users)
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    public StaffScope Scope { get; private set; } = null!;
    public IReadOnlyList<WebhookDelivery> Deliveries { get; private set; } = [];
    public ILookup<Guid, WebhookAttempt> Attempts { get; private set; } = Enumerable.Empty<WebhookAttempt>().ToLookup(a => a.DeliveryId);
    public IReadOnlyDictionary<Guid, string> Clients { get; private set; } = new Dictionary<Guid, string>();
    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostResendAsync(Guid id, CancellationToken ct)
    {
        var scope = await ScopeAsync(db, ct);
        var now = clock.GetUtcNow();
        using (await gate.EnterAsync(ct))
        {
            var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == id, ct);
            if (delivery is null || !scope.CanSee(delivery.AgencyCode)) return NotFound();
            var before = $"{{\"status\":\"{delivery.Status}\",\"attempts\":{delivery.Attempts}}}";
            // Back in the queue now, with a fresh three days; the event id stays, so the portal can tell it is a resend.
            (delivery.Status, delivery.NextAttemptAt, delivery.RetryUntil, delivery.LeaseUntil, delivery.Version) =
                (DeliveryStatus.Pending, now, now + Features.Outbox.OutboxDispatcher.RetryFor, DateTimeOffset.MinValue, Guid.NewGuid());
            db.Audit.Add(new AuditEntry
            {
                At = now, Actor = scope.Me.Actor(), Action = "webhook.resend", EntityType = "webhook-delivery", EntityId = id.ToString(),
                AgencyCode = delivery.AgencyCode, BeforeJson = before, AfterJson = "{\"status\":\"Pending\"}",
            });
            await db.SaveChangesAsync(ct);
        }
        Message = L["Đã đưa lại vào hàng đợi gửi."];
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Scope = await ScopeAsync(db, ct);
        var agency = Scope.Agency;
        var q = db.WebhookDeliveries.AsNoTracking().Where(d => d.AgencyCode == agency);
        if (Enum.TryParse<DeliveryStatus>(Status, out var status)) q = q.Where(d => d.Status == status);
        Deliveries = await q.OrderByDescending(d => d.CreatedAt).Take(200).ToListAsync(ct);
        var ids = Deliveries.Select(d => d.Id).ToList();
        Attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).OrderBy(a => a.At).ToListAsync(ct)).ToLookup(a => a.DeliveryId);
        Clients = await db.ApiClients.AsNoTracking().Where(c => c.AgencyCode == agency).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
    }
}
