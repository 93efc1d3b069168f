using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Api.Pages.Shared;

namespace Payments.Api.Pages.Staff.Admin;

/// <summary>The agency's fee catalogue: amounts, legal basis and online discounts, each change audited.</summary>
public sealed class FeesModel(PaymentsDbContext db, UserManager<StaffUser> users, TimeProvider clock, StaffText L) : StaffPageModel(users)
{
    public IReadOnlyList<FeeItem> Fees { get; private set; } = [];
    public StaffScope Scope { get; private set; } = null!;
    public string? Message { get; private set; }
    public bool Failed { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostSaveAsync(string code, string name, string legalBasis, long amount, int discount, DateOnly? from, DateOnly? until,
        CancellationToken ct)
    {
        var scope = await ScopeAsync(db, ct);
        var me = scope.Me;
        var agency = scope.Agency;
        var fee = await db.Fees.FirstOrDefaultAsync(f => f.Code == code && f.AgencyCode == agency, ct);
        if (fee is null) return NotFound();
        var before = Snapshot(fee);
        try
        {
            fee.Revise(name ?? "", Money.Vnd(amount), legalBasis ?? "", discount, from, until);
        }
        catch (ArgumentException ex)
        {
            (Message, Failed) = (L["Không lưu được: {0}", ex.Message], true);
            db.ChangeTracker.Clear();
            await LoadAsync(ct);
            return Page();
        }
        db.Audit.Add(new AuditEntry
        {
            At = clock.GetUtcNow(), Actor = me.Actor(), Action = "fee.revise", EntityType = "fee", EntityId = code, AgencyCode = fee.AgencyCode,
            BeforeJson = before, AfterJson = Snapshot(fee),
        });
        await db.SaveChangesAsync(ct);
        (Message, Failed) = (L["Đã lưu {0}.", code], false);
        await LoadAsync(ct);
        return Page();
    }

    private static string Snapshot(FeeItem f) =>
        JsonSerializer.Serialize(new { f.Name, amount = f.Amount.Minor, f.LegalBasis, f.OnlineDiscountPercent, f.DiscountFrom, f.DiscountUntil });

    private async Task LoadAsync(CancellationToken ct)
    {
        Scope = await ScopeAsync(db, ct);
        var agency = Scope.Agency;
        Fees = await db.Fees.AsNoTracking().Where(f => f.AgencyCode == agency).OrderBy(f => f.Code).ToListAsync(ct);
    }
}
