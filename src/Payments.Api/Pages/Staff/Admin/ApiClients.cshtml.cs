using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Pages.Staff.Admin;

/// <summary>API clients of the admin's agency: create (the key is shown once, only its hash is kept) and revoke, audited.</summary>
public sealed class ApiClientsModel(PaymentsDbContext db, UserManager<StaffUser> users, TimeProvider clock, IConfiguration config) : StaffPageModel(users)
{
    public string? NewWebhookSecret { get; private set; }
    public string? Problem { get; private set; }

    /// <summary>Sets where the client receives events; a new signing secret is made and shown once.</summary>
    public async Task<IActionResult> OnPostWebhookAsync(Guid id, string? url, CancellationToken ct)
    {
        var scope = await ScopeAsync(db, ct);
        var client = await db.ApiClients.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (client is null || !scope.CanSee(client.AgencyCode)) return NotFound();
        if (Features.Outbox.WebhookSettings.Invalid(url, config) is { } problem)
        {
            Problem = problem;
            await LoadAsync(ct);
            return Page();
        }
        var before = $"{{\"url\":\"{client.WebhookUrl}\"}}";
        (client.WebhookUrl, client.WebhookSecret) = (url, Features.Outbox.WebhookSettings.NewSecret());
        Audit(scope.Me, "webhook.set", client, before, System.Text.Json.JsonSerializer.Serialize(new { url }));
        await db.SaveChangesAsync(ct);
        NewWebhookSecret = client.WebhookSecret;
        await LoadAsync(ct);
        return Page();
    }

    public IReadOnlyList<ApiClient> Clients { get; private set; } = [];
    public StaffScope Scope { get; private set; } = null!;
    public string? NewKey { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(string name, bool finance, CancellationToken ct)
    {
        var scope = await ScopeAsync(db, ct);
        var me = scope.Me;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || scope.Current is null) return BadRequest();
        var key = ApiKeys.Generate();
        var client = new ApiClient
        {
            Name = name.Trim(), AgencyCode = scope.Agency, KeyHash = ApiKeys.Hash(key), KeyPrefix = ApiKeys.PrefixOf(key),
            CreatedAt = clock.GetUtcNow(), Scopes = finance ? "portal finance" : "portal",
        };
        db.ApiClients.Add(client);
        Audit(me, "api-client.create", client, null, $"{{\"name\":\"{client.Name}\",\"scopes\":\"{client.Scopes}\"}}");
        await db.SaveChangesAsync(ct);
        NewKey = key;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        var scope = await ScopeAsync(db, ct);
        var me = scope.Me;
        var client = await db.ApiClients.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (client is null || !scope.CanSee(client.AgencyCode)) return NotFound();
        if (client.RevokedAt is null)
        {
            client.RevokedAt = clock.GetUtcNow();
            Audit(me, "api-client.revoke", client, "{\"revoked\":false}", "{\"revoked\":true}");
            await db.SaveChangesAsync(ct);
        }
        return RedirectToPage(new { agency = client.AgencyCode });
    }

    private void Audit(StaffUser me, string action, ApiClient client, string? before, string after) =>
        db.Audit.Add(new AuditEntry
        {
            At = clock.GetUtcNow(), Actor = me.Actor(), Action = action, EntityType = "api-client",
            EntityId = client.Id.ToString(), AgencyCode = client.AgencyCode, BeforeJson = before, AfterJson = after,
        });

    
    private async Task LoadAsync(CancellationToken ct)
    {
        Scope = await ScopeAsync(db, ct);
        var agency = Scope.Agency;
        Clients = await db.ApiClients.AsNoTracking().Where(c => c.AgencyCode == agency).OrderBy(c => c.CreatedAt).ToListAsync(ct);
    }
}
