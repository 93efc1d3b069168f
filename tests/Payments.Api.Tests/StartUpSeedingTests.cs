using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Infrastructure;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Tests;

/// <summary>
/// Start-up writes roles, demo staff and demo data as plain rows (docs/BENCHMARKS.md, session 16): what it writes must
/// be what Identity and EF would, and a second start must add nothing.
/// </summary>
public sealed class StartUpSeedingTests
{
    private static readonly (string Email, string Role)[] DemoStaff =
        [("thu.ngan@demo.gov.vn", StaffSetup.Cashier), ("ke.toan@demo.gov.vn", StaffSetup.Finance), ("quan.tri@demo.gov.vn", StaffSetup.Admin)];

    [Fact]
    public async Task Demo_staff_are_users_identity_signs_in_with_their_role_and_lockout()
    {
        await using var api = new ApiFactory();
        await using var scope = api.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in new[] { StaffSetup.Cashier, StaffSetup.Finance, StaffSetup.Admin })
            Assert.Equal(role, (await roles.FindByNameAsync(role))?.Name); // found by its normalized name
        var stamps = new HashSet<string>();
        foreach (var (email, role) in DemoStaff)
        {
            var user = await users.FindByEmailAsync(email);
            Assert.NotNull(user);
            Assert.Equal(user.Id, (await users.FindByNameAsync(email))?.Id);
            Assert.True(await users.CheckPasswordAsync(user, ApiFactory.StaffPassword));
            Assert.False(await users.CheckPasswordAsync(user, ApiFactory.StaffPassword + "x"));
            Assert.Equal([role], await users.GetRolesAsync(user));
            Assert.True(await users.GetLockoutEnabledAsync(user)); // lockout applies to new users
            Assert.True(user.EmailConfirmed);
            Assert.Equal(Infrastructure.Demo.DemoSeeder.AgencyCode, user.AgencyCode);
            Assert.True(stamps.Add(Assert.IsType<string>(user.SecurityStamp)), "each user has a security stamp of its own");
            Assert.NotEqual(user.SecurityStamp, user.ConcurrencyStamp);
            // A token made from the stamp is accepted, as for a user Identity created.
            var token = await users.GeneratePasswordResetTokenAsync(user);
            Assert.True((await users.ResetPasswordAsync(user, token, "Another-pass-2026!")).Succeeded);
            Assert.True(await users.CheckPasswordAsync(user, "Another-pass-2026!"));
        }
    }

    [Fact]
    public async Task A_weak_demo_password_stops_the_start_as_identity_would_refuse_it()
    {
        await using var api = new ApiFactory().With("Demo:StaffPassword", "short");
        var refused = Assert.ThrowsAny<Exception>(() => api.Services);
        Assert.Contains("thu.ngan@demo.gov.vn", refused.ToString());
    }

    [Fact]
    public async Task A_second_start_on_the_same_store_adds_nothing_and_the_first_admin_goes_through_identity()
    {
        if (ApiFactory.OnPostgres) return; // the same store file twice: SQLite's case (each factory has a database of its own)
        var dir = Directory.CreateTempSubdirectory("seeding-").FullName;
        try
        {
            var store = $"Data Source={Path.Combine(dir, "payments.db")}";
            string key, protectedText;
            (int, int, int, int, int) counts;
            await using (var first = new ApiFactory().With("ConnectionStrings:Payments", store))
            {
                counts = Counts(first);
                Assert.Equal((3, 3, 3, 9, 1), counts);
                key = first.Db(db => db.DataProtectionKeys.Select(k => k.FriendlyName).Single())!;
                protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("kept");
            }

            await using (var second = new ApiFactory().With("ConnectionStrings:Payments", store)
                .With("Payments:Staff:FirstAdmin:Email", "admin@so.gov.vn").With("Payments:Staff:FirstAdmin:Password", "First-admin-2026!"))
            {
                Assert.Equal(counts, Counts(second)); // users existed: no first admin either
                // A cookie protected before the restart is read after it: the key ring made at the first start is kept.
                Assert.Equal(key, second.Db(db => db.DataProtectionKeys.Select(k => k.FriendlyName).Single()));
                Assert.Equal("kept", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }

        await using var empty = new ApiFactory().With("Demo:StaffPassword", "")
            .With("Payments:Staff:FirstAdmin:Email", "admin@so.gov.vn").With("Payments:Staff:FirstAdmin:Password", "First-admin-2026!");
        var (roles, users, links, _, _) = Counts(empty);
        Assert.Equal((3, 1, 1), (roles, users, links));
        await using var scope = empty.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var admin = await manager.FindByEmailAsync("admin@so.gov.vn");
        Assert.NotNull(admin);
        Assert.Equal([StaffSetup.Admin], await manager.GetRolesAsync(admin));
        Assert.True(await manager.CheckPasswordAsync(admin, "First-admin-2026!"));
    }

    /// <summary>
    /// The server listens while the store is prepared (ADR-0035): liveness answers, readiness says 503, a portal request
    /// waits and is then served, and the host's start ends only with the preparation.
    /// </summary>
    [Fact]
    public async Task While_the_store_is_prepared_health_answers_and_other_requests_wait_for_it()
    {
        using var released = new ManualResetEventSlim();
        var port = FreePort();
        // The preparation's first step resolves the receipt signer: held there until the test lets it go on.
        await using var api = new ApiFactory().Live(port).WithServices(s =>
        {
            var signer = s.Last(d => d.ServiceType == typeof(Features.Receipts.IReceiptIssuerPort));
            s.AddSingleton(sp =>
            {
                if (!released.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("The test did not release the preparation.");
                return (Features.Receipts.IReceiptIssuerPort)signer.ImplementationFactory!(sp);
            });
        });
        var started = Task.Run(() => api.Services); // the host's start returns once the store is prepared
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try { if ((await http.GetAsync("/health/live")).IsSuccessStatusCode) break; }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline) { }
            await Task.Delay(20);
        }
        var notReady = await http.GetAsync("/health/ready");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("Unhealthy", await notReady.Content.ReadAsStringAsync());
        var fees = new HttpRequestMessage(HttpMethod.Get, "/api/v1/fees");
        fees.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiFactory.ApiKey);
        var held = http.SendAsync(fees);
        await Task.Delay(300);
        Assert.False(held.IsCompleted, "a portal request is held until the store is prepared");
        Assert.False(started.IsCompleted, "the host's start waits for the store");

        released.Set();
        await started.WaitAsync(TimeSpan.FromSeconds(60));
        var served = await held;
        Assert.Equal(System.Net.HttpStatusCode.OK, served.StatusCode);
        Assert.Contains("GPLX-CAP", await served.Content.ReadAsStringAsync()); // the demo fees were seeded before it was served
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
    }

    /// <summary>Data protection's own start-up service would read the key ring before a new store has its table.</summary>
    [Fact]
    public async Task The_key_ring_is_read_by_the_preparation_not_by_data_protections_hosted_service()
    {
        await using var api = new ApiFactory();
        var hosted = api.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(h => h.GetType().Name).ToList();
        Assert.Contains(nameof(StorePreparation), hosted);
        Assert.DoesNotContain("DataProtectionHostedService", hosted);
        Assert.Single(api.Db(db => db.DataProtectionKeys.ToList())); // made by the preparation on this new store
    }

    [Fact]
    public async Task The_key_ring_in_the_store_is_read_with_its_new_keys_and_skips_a_row_that_is_not_xml()
    {
        await using var api = new ApiFactory();
        var ring = ActivatorUtilities.CreateInstance<StoreKeyRing>(api.Services);
        var made = Assert.Single(ring.GetAllElements()); // the key the preparation made
        ring.StoreElement(new System.Xml.Linq.XElement("key", new System.Xml.Linq.XAttribute("id", "test-key")), "key-test");
        api.Db(db => db.Database.ExecuteSqlRaw("INSERT INTO \"DataProtectionKeys\" (\"FriendlyName\", \"Xml\") VALUES ('broken', '<key')"));
        var all = ring.GetAllElements();
        Assert.Equal(2, all.Count);
        Assert.Contains(all, k => k.ToString() == made.ToString());
        Assert.Contains(all, k => (string?)k.Attribute("id") == "test-key");
        Assert.Equal("key-test", api.Db(db => db.DataProtectionKeys.Single(k => k.Xml!.Contains("test-key")).FriendlyName));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (int Roles, int Users, int Links, int Fees, int Series) Counts(ApiFactory api) => api.Db(db =>
        (db.Roles.Count(), db.Users.Count(), db.UserRoles.Count(), db.Fees.Count(), db.ReceiptSeries.Count()));
}
