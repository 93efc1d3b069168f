using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Pages.Staff;

/// <summary>A staff page: who is signed in, as the use cases and the audit trail need them.</summary>
public abstract class StaffPageModel(UserManager<StaffUser> users) : PageModel
{
    protected async Task<StaffUser> MeAsync() =>
        await users.GetUserAsync(User) ?? throw new InvalidOperationException("The signed-in member of staff no longer exists.");

    /// <summary>
    /// The agencies this person may see and the one the page works on: their own, or — for province-wide staff
    /// (no agency: the province's finance office and the first admin) — the one asked for with <c>?agency=</c>
    /// (or a form field), defaulting to the first.
    /// </summary>
    protected async Task<StaffScope> ScopeAsync(PaymentsDbContext db, CancellationToken ct = default)
    {
        var me = await MeAsync();
        var agencies = await db.Agencies.AsNoTracking()
            .Where(a => me.AgencyCode == "" || a.Code == me.AgencyCode).OrderBy(a => a.Code).ToListAsync(ct);
        var asked = Request.Query["agency"].ToString();
        if (asked.Length == 0 && Request.HasFormContentType) asked = Request.Form["agency"].ToString();
        var current = agencies.FirstOrDefault(a => a.Code == asked) ?? agencies.FirstOrDefault(a => a.Code == me.AgencyCode) ?? agencies.FirstOrDefault();
        return new StaffScope(me, agencies, current);
    }
}

/// <summary>What a member of staff may see: their agency, or every agency when they are province-wide.</summary>
public sealed record StaffScope(StaffUser Me, IReadOnlyList<Agency> Agencies, Agency? Current)
{
    public bool ProvinceWide => Me.AgencyCode.Length == 0;
    public IReadOnlyList<string> Codes => Agencies.Select(a => a.Code).ToList();
    /// <summary>The agency the page works on; empty when there is none yet.</summary>
    public string Agency => Current?.Code ?? "";
    public bool CanSee(string agencyCode) => ProvinceWide || agencyCode == Me.AgencyCode;
    /// <summary>The staff member as the caller of a use case shared with the API, acting for <see cref="Agency"/>.</summary>
    public CallingClient Caller => new(Guid.Parse(Me.Id), Agency, $"{Me.FullName} ({Me.Email})", IsStaff: true);
}

public static class StaffIdentity
{
    /// <summary>How the audit trail names a member of staff.</summary>
    public static string Actor(this StaffUser me) => $"staff:{me.FullName} ({me.Email})";

    /// <summary>The caller of a use case shared with the API, acting for the staff member's agency.</summary>
    public static CallingClient AsCaller(this StaffUser me) => new(Guid.Parse(me.Id), me.AgencyCode, $"{me.FullName} ({me.Email})", IsStaff: true);
}
