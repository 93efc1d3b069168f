using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Infrastructure;

/// <summary>
/// Staff sign-in with ASP.NET Core Identity on the service's own store: roles cashier, finance, admin; lockout after
/// repeated failures; an HttpOnly, SameSite=Strict cookie (Secure whenever the request is HTTPS); antiforgery on
/// every form (Razor Pages validate it on each POST).
/// </summary>
public static class StaffSetup
{
    public const string Cashier = "cashier", Finance = "finance", Admin = "admin";
    public const string StaffPolicy = "staff", CashierPolicy = "staff:cashier", FinancePolicy = "staff:finance", AdminPolicy = "staff:admin";
    /// <summary>Cashiers reconcile their desk's money; finance reviews and approves; admins may look.</summary>
    public const string ReconciliationPolicy = "staff:reconciliation";

    public static IServiceCollection AddStaff(this IServiceCollection services)
    {
        services.AddIdentityCore<StaffUser>(o =>
            {
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 10;
                o.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PaymentsDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddAuthentication().AddIdentityCookies(cookies => cookies.ApplicationCookie!.Configure(o =>
        {
            o.LoginPath = "/staff/sign-in";
            o.LogoutPath = "/staff/sign-out";
            o.AccessDeniedPath = "/staff/denied";
            o.Cookie.Name = "payments.staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        }));
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser())
            .AddPolicy(CashierPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Cashier, Admin))
            .AddPolicy(FinancePolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Finance, Admin))
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Admin))
            .AddPolicy(ReconciliationPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Cashier, Finance, Admin));
        // Vietnamese text as text, not numeric entities (still HTML-encoded where it matters).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddScoped<Pages.Shared.StaffText>();
        // One key ring in the store: a staff cookie issued by one node is read by the others behind the load balancer.
        services.AddDataProtection().SetApplicationName("Payments");
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>>(sp =>
            new Microsoft.Extensions.Options.ConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o =>
                o.XmlRepository = ActivatorUtilities.CreateInstance<StoreKeyRing>(sp)));
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Staff", StaffPolicy);
            o.Conventions.AuthorizeFolder("/Staff/Cashier", CashierPolicy);
            o.Conventions.AuthorizeFolder("/Staff/Finance", FinancePolicy);
            o.Conventions.AuthorizeFolder("/Staff/Admin", AdminPolicy);
            o.Conventions.AuthorizeFolder("/Staff/Reconciliation", ReconciliationPolicy);
            o.Conventions.AllowAnonymousToPage("/Staff/SignIn");
            o.Conventions.AddPageApplicationModelConvention("/Staff/SignIn",
                m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(Http.RateLimits.SignIn)));
            o.Conventions.AllowAnonymousToPage("/Staff/Denied");
        });
        return services;
    }

    /// <summary>
    /// Roles always; the first admin from Payments:Staff:FirstAdmin (Email, Password, FullName, AgencyCode) when no
    /// user exists yet; demo staff (Demo:StaffPassword) when the demo data is seeded.
    /// </summary>
    public static async Task SeedStaffAsync(IServiceProvider services, IConfiguration config, ILogger log)
    {
        await using var scope = services.CreateAsyncScope();
        // Plain reads of what is there: on a restart it all is, and Identity's lookups would each compile an EF query
        // (RowReader.ColumnAsync).
        var db = scope.ServiceProvider.GetRequiredService<Persistence.PaymentsDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var existingRoles = await Persistence.RowReader.ColumnAsync(db, "SELECT \"NormalizedName\" FROM \"AspNetRoles\"");
        // As FindByEmailAsync compares them. It would also try the protected form with Identity's ProtectPersonalData,
        // which this service does not turn on; with it on, this check must protect the emails first.
        var emails = await Persistence.RowReader.ColumnAsync(db, "SELECT \"NormalizedEmail\" FROM \"AspNetUsers\"");
        var noUserYet = emails.Count == 0;

        // The roles and the demo staff that are missing are written as new rows in one transaction (Seeding.InsertAsync).
        // Through Identity's managers, each role and user would first look itself up with an EF query compiled for the
        // purpose and be saved through the change tracker: ~0.4 s of an empty store's first start (docs/BENCHMARKS.md,
        // session 16). The rows are what the managers write (DemoStaff); the first admin, the one account a real
        // deployment starts from, still goes through Identity whole.
        var rows = new List<object>();
        var newRoles = new Dictionary<string, IdentityRole>();
        foreach (var role in new[] { Cashier, Finance, Admin })
            if (!existingRoles.Contains(users.NormalizeName(role)))
            {
                var row = new IdentityRole(role) { NormalizedName = users.NormalizeName(role) };
                newRoles[role] = row;
                rows.Add(row);
            }
        var demo = config.GetValue<bool>("Demo:Seed") ? config["Demo:StaffPassword"] : null;
        if (!string.IsNullOrEmpty(demo))
        {
            var agency = Demo.DemoSeeder.AgencyCode;
            var staff = new (string Email, string FullName, string Role)[]
            {
                ("thu.ngan@demo.gov.vn", "Trần Thị Bình", Cashier), ("ke.toan@demo.gov.vn", "Lê Văn Cường", Finance), ("quan.tri@demo.gov.vn", "Phạm Thu Dung", Admin),
            }.Where(s => !emails.Contains(users.NormalizeEmail(s.Email))).ToArray();
            // Each password hash is ~45 ms of one core (PBKDF2); the three are made at once.
            var made = await Task.WhenAll(staff.Select(s => Task.Run(() => Demo.DemoStaff.NewAsync(users, s.Email, demo, s.FullName, agency))));
            foreach (var (user, (_, _, role)) in made.Zip(staff))
            {
                rows.Add(user);
                rows.Add(new IdentityUserRole<string>
                {
                    UserId = user.Id,
                    RoleId = newRoles.TryGetValue(role, out var created) ? created.Id : await RoleIdAsync(db, users.NormalizeName(role)),
                });
            }
            if (staff.Length > 0)
                log.LogWarning("Demo staff (development only): thu.ngan@, ke.toan@, quan.tri@demo.gov.vn with Demo:StaffPassword");
        }
        await Persistence.Seeding.InsertAsync(db, rows);

        var first = config.GetSection("Payments:Staff:FirstAdmin");
        if (noUserYet && first["Email"] is { Length: > 0 } email)
        {
            await CreateAsync(users, emails, email, first["Password"] ?? throw new InvalidOperationException("Payments:Staff:FirstAdmin:Password is required."),
                first["FullName"] ?? "Quản trị hệ thống", first["AgencyCode"] ?? "", Admin);
            log.LogWarning("Created the first admin {Email} from configuration; change the password after signing in", email);
        }
    }

    private static async Task<string> RoleIdAsync(Persistence.PaymentsDbContext db, string normalizedName) =>
        (await Persistence.RowReader.ColumnAsync(db, "SELECT \"Id\" FROM \"AspNetRoles\" WHERE \"NormalizedName\" = @value", ("@value", normalizedName)))
            .Single() ?? throw new InvalidOperationException($"Role {normalizedName} has no id.");

    private static async Task CreateAsync(UserManager<StaffUser> users, List<string?> existing, string email, string password, string fullName,
        string agency, string role)
    {
        if (existing.Contains(users.NormalizeEmail(email))) return;
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, FullName = fullName, AgencyCode = agency };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) throw new InvalidOperationException($"Cannot create {email}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
        await users.AddToRoleAsync(user, role);
        existing.Add(users.NormalizeEmail(email));
    }
}
