using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Pages.Staff;

/// <summary>
/// The audit trail, newest first, for finance and admin: their own agency's entries (province-wide staff: all,
/// including province-wide changes), optionally one kind of record.
/// </summary>
[Authorize(Policy = Infrastructure.StaffSetup.FinancePolicy)]
public sealed class AuditModel(PaymentsDbContext db, UserManager<StaffUser> users) : StaffPageModel(users)
{
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    public IReadOnlyList<string> Types { get; private set; } = [];
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = await MeAsync();
        var agency = me.AgencyCode;
        var q = db.Audit.AsNoTracking().Where(a => agency == "" || a.AgencyCode == agency);
        Types = await q.Select(a => a.EntityType).Distinct().OrderBy(t => t).ToListAsync(ct);
        if (!string.IsNullOrEmpty(Type)) q = q.Where(a => a.EntityType == Type);
        Entries = await q.OrderByDescending(a => a.At).Take(500).ToListAsync(ct);
    }
}
