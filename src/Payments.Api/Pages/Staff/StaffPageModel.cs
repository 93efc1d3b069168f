using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Pages.Staff;

/// <summary>A staff page: who is signed in, as the use cases and the audit trail need them.</summary>
public abstract class StaffPageModel(UserManager<StaffUser> users) : PageModel
{
    protected async Task<StaffUser> MeAsync() =>
        await users.GetUserAsync(User) ?? throw new InvalidOperationException("The signed-in member of staff no longer exists.");
}

public static class StaffIdentity
{
    /// <summary>How the audit trail names a member of staff.</summary>
    public static string Actor(this StaffUser me) => $"staff:{me.FullName} ({me.Email})";

    /// <summary>The caller of a use case shared with the API, acting for the staff member's agency.</summary>
    public static CallingClient AsCaller(this StaffUser me) => new(Guid.Parse(me.Id), me.AgencyCode, $"{me.FullName} ({me.Email})", IsStaff: true);
}
