using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure;
using Payments.Api.Infrastructure.Persistence;
using Payments.Api.Pages.Shared;

namespace Payments.Api.Pages.Staff.Admin;

/// <summary>
/// Staff of the admin's agency (a province-wide admin picks the agency, and also sees province-wide staff): list, add
/// with a role, unlock after a lockout. Every change is audited.
/// </summary>
public sealed class AdminModel(UserManager<StaffUser> users, PaymentsDbContext db, TimeProvider clock, StaffText L) : StaffPageModel(users)
{
    public sealed record StaffRow(string FullName, string? Email, string AgencyCode, IList<string> Roles, DateTimeOffset? LockedUntil);

    private readonly UserManager<StaffUser> _users = users;
    public IReadOnlyList<StaffRow> Staff { get; private set; } = [];
    public StaffScope Scope { get; private set; } = null!;
    public string? Message { get; private set; }
    public bool Failed { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync(string fullName, string email, string role, string password, bool provinceWide)
    {
        var scope = await ScopeAsync(db);
        var me = scope.Me;
        if (role is not (StaffSetup.Cashier or StaffSetup.Finance or StaffSetup.Admin)) return BadRequest();
        // Only a province-wide admin makes province-wide staff, and a cashier always works at one agency's desk.
        var agency = provinceWide && scope.ProvinceWide && role != StaffSetup.Cashier ? "" : scope.Agency;
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, FullName = fullName?.Trim() ?? "", AgencyCode = agency };
        var created = await _users.CreateAsync(user, password ?? "");
        if (created.Succeeded) created = await _users.AddToRoleAsync(user, role);
        (Message, Failed) = created.Succeeded
            ? (L["Đã thêm {0} ({1}).", email, role], false)
            : (L["Không thêm được: {0}", string.Join("; ", created.Errors.Select(e => e.Description))], true);
        if (created.Succeeded) await AuditAsync(me, agency, "staff.create", email, null, $"{{\"role\":\"{role}\",\"agency\":\"{agency}\"}}");
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostUnlockAsync(string email)
    {
        var scope = await ScopeAsync(db);
        var me = scope.Me;
        var user = await _users.FindByEmailAsync(email ?? "");
        if (user is null || !scope.CanSee(user.AgencyCode)) return NotFound();
        await _users.SetLockoutEndDateAsync(user, null);
        await _users.ResetAccessFailedCountAsync(user);
        await AuditAsync(me, user.AgencyCode, "staff.unlock", email!, "{\"locked\":true}", "{\"locked\":false}");
        (Message, Failed) = (L["Đã mở khóa {0}.", email!], false);
        await LoadAsync();
        return Page();
    }

    private async Task AuditAsync(StaffUser me, string agency, string action, string email, string? before, string after)
    {
        db.Audit.Add(new AuditEntry
        {
            At = clock.GetUtcNow(), Actor = me.Actor(), Action = action, EntityType = "staff", EntityId = email, AgencyCode = agency,
            BeforeJson = before, AfterJson = after,
        });
        await db.SaveChangesAsync();
    }

    private async Task LoadAsync()
    {
        Scope = await ScopeAsync(db);
        var agency = Scope.Agency;
        var wide = Scope.ProvinceWide;
        var rows = new List<StaffRow>();
        foreach (var u in await _users.Users.Where(u => u.AgencyCode == agency || (wide && u.AgencyCode == "")).OrderBy(u => u.Email).ToListAsync())
            rows.Add(new StaffRow(u.FullName, u.Email, u.AgencyCode, await _users.GetRolesAsync(u), u.LockoutEnd > clock.GetUtcNow() ? u.LockoutEnd : null));
        Staff = rows;
    }
}
