using Microsoft.AspNetCore.Identity;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>A member of staff (cashier, finance, admin) who signs in to the pages under /staff.</summary>
public sealed class StaffUser : IdentityUser
{
    public string FullName { get; set; } = "";
    /// <summary>The agency whose desk and orders this person works with.</summary>
    public string AgencyCode { get; set; } = "";
}
