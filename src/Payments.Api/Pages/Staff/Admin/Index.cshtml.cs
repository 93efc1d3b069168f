using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Pages.Staff.Admin;

public sealed class AdminModel(UserManager<StaffUser> users) : PageModel
{
    public sealed record StaffRow(string FullName, string? Email, string AgencyCode, IList<string> Roles, DateTimeOffset? LockedUntil);

    public IReadOnlyList<StaffRow> Staff { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var rows = new List<StaffRow>();
        foreach (var u in await users.Users.OrderBy(u => u.Email).ToListAsync())
            rows.Add(new StaffRow(u.FullName, u.Email, u.AgencyCode, await users.GetRolesAsync(u), u.LockoutEnd > DateTimeOffset.UtcNow ? u.LockoutEnd : null));
        Staff = rows;
    }
}
