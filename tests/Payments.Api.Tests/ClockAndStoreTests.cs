using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Payments.Api.Tests;

/// <summary>Behaviour that depends on the calendar or on configuration, each with its own store.</summary>
public class ClockAndStoreTests
{
    [Fact]
    public async Task Receipt_numbers_restart_at_1_on_1_January_vietnam_time_in_a_new_series_symbol()
    {
        using var api = new ApiFactory();
        api.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 31, 16, 30, 0, TimeSpan.Zero)); // 23:30 on 31 Dec in Vietnam
        var portal = api.Portal();
        await portal.PayAsync("YEAR-1");
        await portal.PayAsync("YEAR-2");
        api.Clock.Advance(TimeSpan.FromHours(1)); // 00:30 on 1 Jan 2027 in Vietnam, still 31 Dec in UTC
        var id = await portal.PayAsync("YEAR-3");

        var receipt = (await portal.GetOrderAsync(id)).GetProperty("receipt");
        Assert.Equal(1, receipt.GetProperty("number").GetInt32());
        Assert.Equal("BL27", receipt.GetProperty("series").GetString());
        var byYear = api.Db(db => db.Receipts.Select(r => new { r.Year, r.Number, r.Series }).ToList());
        Assert.Equal([1, 2], byYear.Where(r => r.Year == 2026).Select(r => r.Number).Order());
        Assert.All(byYear.Where(r => r.Year == 2026), r => Assert.Equal("BL26", r.Series));
    }

    [Fact]
    public async Task An_order_past_its_expiry_takes_no_new_attempt()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "EXP-1"));
        api.Clock.Advance(TimeSpan.FromMinutes(90) + TimeSpan.FromSeconds(1));
        var res = await portal.PostAsJsonAsync($"/api/v1/payment-orders/{order.GetProperty("id")}/attempts", new { provider = "sandbox" });
        Assert.Equal(HttpStatusCode.Conflict, res.StatusCode);
        Assert.Equal("order_expired", (await res.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_attempt_started_before_expiry_is_still_honoured_after_it()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "EXP-2"));
        var id = order.GetProperty("id").GetString()!;
        var attempt = await portal.StartAttemptAsync(id);
        api.Clock.Advance(TimeSpan.FromDays(4));
        Assert.Equal("00", await portal.SendIpnAsync(Wire.Ipn(attempt.GetProperty("providerReference").GetString()!, 13_500_000, "19000001")));
        Assert.Equal("paid", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("mongodb", "must be sqlite, postgres or sqlserver")]
    public void Unsupported_stores_stop_the_service_with_a_clear_message(string store, string message)
    {
        using var api = new ApiFactory().With("Payments:Store", store);
        var ex = Assert.ThrowsAny<Exception>(() => api.CreateClient());
        Assert.Contains(message, ex.ToString());
    }

    [Fact]
    public void A_server_store_without_a_connection_string_stops_the_service()
    {
        using var api = new ApiFactory().With("Payments:Store", "sqlserver").With("ConnectionStrings:Payments", null);
        var ex = Assert.ThrowsAny<Exception>(() => api.CreateClient());
        Assert.Contains("ConnectionStrings:Payments is required", ex.ToString());
    }

    [Theory]
    [InlineData("Host=db;Username=payments;Password=x;Database=payments", 64)]
    [InlineData("Host=db;Username=payments;Password=x;Database=payments;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Username=payments;Password=x;Database=payments;maxautoprepare=10", 10)]
    public void PostgreSQL_prepares_repeated_statements_unless_the_connection_string_says_otherwise(string configured, int expected)
    {
        var built = new Npgsql.NpgsqlConnectionStringBuilder(
            Payments.Api.Infrastructure.Persistence.StoreSetup.PostgresConnectionString(configured));
        Assert.Equal(expected, built.MaxAutoPrepare);
        Assert.Equal("db", built.Host); // nothing else changes
        Assert.Equal("x", built.Password);
    }

    [Fact]
    public void A_sandbox_without_a_secret_stops_the_service()
    {
        using var api = new ApiFactory().With("Payments:Providers:sandbox:HashSecret", "");
        var ex = Assert.ThrowsAny<Exception>(() => api.CreateClient());
        Assert.Contains("HashSecret", ex.ToString());
    }
}

public class CitizenPageTests
{
    [Fact]
    public async Task The_page_switches_to_english_and_remembers_it()
    {
        using var api = new ApiFactory();
        var order = await api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "PAGE-EN"));
        var browser = api.Anonymous();
        var path = new Uri(order.GetProperty("paymentUrl").GetString()!).AbsolutePath;
        var vi = await (await browser.GetAsync(path)).Content.ReadAsStringAsync();
        Assert.Contains("Thanh toán phí, lệ phí", vi);
        Assert.Contains("còn 90 phút", vi);
        var en = await (await browser.GetAsync(path + "?lang=en")).Content.ReadAsStringAsync();
        Assert.Contains("Pay fees and charges", en);
        Assert.Contains("Pay with the test wallet (sandbox)", en);
        Assert.Contains("lang=\"en\"", en);
        Assert.Contains("Pay fees and charges", await (await browser.GetAsync(path)).Content.ReadAsStringAsync()); // remembered
    }

    [Fact]
    public async Task An_expired_order_says_so_and_offers_no_payment()
    {
        using var api = new ApiFactory();
        var order = await api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "PAGE-EXP"));
        api.Clock.Advance(TimeSpan.FromMinutes(91));
        await api.SweepAsync();
        var page = await (await api.Anonymous().GetAsync(new Uri(order.GetProperty("paymentUrl").GetString()!).AbsolutePath)).Content.ReadAsStringAsync();
        Assert.Contains("Đã hết hạn", page);
        Assert.Contains("đã hết hạn", page);
        Assert.DoesNotContain("<button>", page);
    }
}

public class LeaseTests
{
    [Fact]
    public async Task A_lease_is_held_by_one_node_until_it_runs_out_or_is_released()
    {
        using var api = new ApiFactory();
        api.CreateClient();
        using var scope = api.Services.CreateScope();
        var services = scope.ServiceProvider;
        Assert.True(await Features.Janitor.Leases.TryClaimAsync(services, "janitor", TimeSpan.FromMinutes(5), default));
        Assert.True(await Features.Janitor.Leases.TryClaimAsync(services, "janitor", TimeSpan.FromMinutes(5), default)); // the holder renews

        // Another node holds it now (as if it had claimed it from another process).
        api.Db(db => db.Leases.Where(l => l.Name == "janitor").ExecuteUpdate(u => u.SetProperty(l => l.Owner, "other-node:42")
            .SetProperty(l => l.Until, api.Clock.GetUtcNow().AddMinutes(5))));
        Assert.False(await Features.Janitor.Leases.TryClaimAsync(services, "janitor", TimeSpan.FromMinutes(5), default));
        api.Clock.Advance(TimeSpan.FromMinutes(6)); // that node crashed: its lease runs out
        Assert.True(await Features.Janitor.Leases.TryClaimAsync(services, "janitor", TimeSpan.FromMinutes(5), default));
        await Features.Janitor.Leases.ReleaseAsync(services, "janitor", default);
        Assert.Null(api.Db(db => db.Leases.Single(l => l.Name == "janitor").Owner));
    }
}
