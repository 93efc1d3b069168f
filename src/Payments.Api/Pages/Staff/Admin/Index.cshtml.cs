using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Pages.Staff.Admin;

/// <summary>Staff of the admin's agency: list, add with a role, unlock after a lockout. Every change is audited.</summary>
public sealed class AdminModel(UserManager<StaffUser> users, PaymentsDbContext db, TimeProvider clock) : StaffPageModel(users)
{
    public sealed record StaffRow(string FullName, string? Email, string AgencyCode, IList<string> Roles, DateTimeOffset? LockedUntil);

    private readonly UserManager<StaffUser> _users = users;
    public IReadOnlyList<StaffRow> Staff { get; private set; } = [];
    public string? Message { get; private set; }
    public bool Failed { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync(string fullName, string email, string role, string password)
    {
        var me = await MeAsync();
        if (role is not (StaffSetup.Cashier or StaffSetup.Finance or StaffSetup.Admin)) return BadRequest();
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, FullName = fullName?.Trim() ?? "", AgencyCode = me.AgencyCode };
        var created = await _users.CreateAsync(user, password ?? "");
        if (created.Succeeded) created = await _users.AddToRoleAsync(user, role);
        (Message, Failed) = created.Succeeded
            ? ($"Đã thêm {email} ({role}).", false)
            : ("Không thêm được: " + string.Join("; ", created.Errors.Select(e => e.Description)), true);
        if (created.Succeeded) await AuditAsync(me, "staff.create", email, null, $"{{\"role\":\"{role}\",\"agency\":\"{me.AgencyCode}\"}}");
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostUnlockAsync(string email)
    {
        var me = await MeAsync();
        var user = await _users.FindByEmailAsync(email ?? "");
        if (user is null || user.AgencyCode != me.AgencyCode) return NotFound();
        await _users.SetLockoutEndDateAsync(user, null);
        await _users.ResetAccessFailedCountAsync(user);
        await AuditAsync(me, "staff.unlock", email!, "{\"locked\":true}", "{\"locked\":false}");
        (Message, Failed) = ($"Đã mở khóa {email}.", false);
        await LoadAsync();
        return Page();
    }

    private async Task AuditAsync(StaffUser me, string action, string email, string? before, string after)
    {
        db.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = me.Actor(), Action = action, EntityType = "staff", EntityId = email, BeforeJson = before, AfterJson = after });
        await db.SaveChangesAsync();
    }

    private async Task LoadAsync()
    {
        var me = await MeAsync();
        var rows = new List<StaffRow>();
        // An admin manages the staff of their own agency (the first admin, with no agency, sees those without one).
        foreach (var u in await _users.Users.Where(u => u.AgencyCode == me.AgencyCode).OrderBy(u => u.Email).ToListAsync())
            rows.Add(new StaffRow(u.FullName, u.Email, u.AgencyCode, await _users.GetRolesAsync(u), u.LockoutEnd > clock.GetUtcNow() ? u.LockoutEnd : null));
        Staff = rows;
    }
}
