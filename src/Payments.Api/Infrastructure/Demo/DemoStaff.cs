using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Infrastructure.Demo;

/// <summary>
/// A demo staff member as <c>UserManager.CreateAsync(user, password)</c> would write it — the password checked by the
/// configured validators and hashed by the configured hasher, a fresh security stamp, lockout as configured for new
/// users, the normalized name and email — without the store's lookups and change tracker (StaffSetup.SeedStaffAsync
/// checks that the email is new). Identity's user validator is not run: the demo emails are fixed and valid.
/// </summary>
internal static class DemoStaff
{
    public static async Task<StaffUser> NewAsync(UserManager<StaffUser> users, string email, string password, string fullName, string agency)
    {
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, FullName = fullName, AgencyCode = agency };
        foreach (var validator in users.PasswordValidators)
            if (await validator.ValidateAsync(users, user, password) is { Succeeded: false } refused)
                throw new InvalidOperationException($"Cannot create {email}: {string.Join("; ", refused.Errors.Select(e => e.Description))}");
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        // Identity's own stamp is 20 random bytes in base 32; it is only ever compared, so hexadecimal does as well.
        user.SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        user.LockoutEnabled = users.Options.Lockout.AllowedForNewUsers;
        user.NormalizedUserName = users.NormalizeName(email);
        user.NormalizedEmail = users.NormalizeEmail(email);
        return user;
    }
}
