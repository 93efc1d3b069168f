using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Fees;

namespace Payments.Api.Pages.Staff.Admin;

/// <summary>The agency's fee catalogue: amounts, legal basis and online discounts, each change audited.</summary>
public sealed class FeesModel(PaymentsDbContext db, UserManager<StaffUser> users, TimeProvider clock) : StaffPageModel(users)
{
    public IReadOnlyList<FeeItem> Fees { get; private set; } = [];
    public string? Message { get; private set; }
    public bool Failed { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostSaveAsync(string code, string name, string legalBasis, long amount, int discount, DateOnly? from, DateOnly? until,
        CancellationToken ct)
    {
        var me = await MeAsync();
        var fee = await db.Fees.FirstOrDefaultAsync(f => f.Code == code && f.AgencyCode == me.AgencyCode, ct);
        if (fee is null) return NotFound();
        var before = Snapshot(fee);
        try
        {
            fee.Revise(name ?? "", Money.Vnd(amount), legalBasis ?? "", discount, from, until);
        }
        catch (ArgumentException ex)
        {
            (Message, Failed) = ("Không lưu được: " + ex.Message, true);
            db.ChangeTracker.Clear();
            await LoadAsync(ct);
            return Page();
        }
        db.Audit.Add(new AuditEntry
        {
            At = clock.GetUtcNow(), Actor = me.Actor(), Action = "fee.revise", EntityType = "fee", EntityId = code,
            BeforeJson = before, AfterJson = Snapshot(fee),
        });
        await db.SaveChangesAsync(ct);
        (Message, Failed) = ($"Đã lưu {code}.", false);
        await LoadAsync(ct);
        return Page();
    }

    private static string Snapshot(FeeItem f) =>
        JsonSerializer.Serialize(new { f.Name, amount = f.Amount.Minor, f.LegalBasis, f.OnlineDiscountPercent, f.DiscountFrom, f.DiscountUntil });

    private async Task LoadAsync(CancellationToken ct)
    {
        var me = await MeAsync();
        Fees = await db.Fees.AsNoTracking().Where(f => f.AgencyCode == me.AgencyCode).OrderBy(f => f.Code).ToListAsync(ct);
    }
}
