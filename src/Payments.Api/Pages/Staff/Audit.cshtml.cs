using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Pages.Staff;

/// <summary>The audit trail, newest first, for finance and admin.</summary>
[Authorize(Policy = Infrastructure.StaffSetup.FinancePolicy)]
public sealed class AuditModel(PaymentsDbContext db) : PageModel
{
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Entries = await db.Audit.AsNoTracking().OrderByDescending(a => a.At).Take(500).ToListAsync(ct);
}
