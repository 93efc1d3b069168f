using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;

namespace Payments.Api.Tests;

/// <summary>
/// Two nodes in this process on one PostgreSQL database (ADR-0036): A with its read cache on, B with it off — B still
/// announces what it writes, since other nodes' caches may be on. What B writes, A hears on the cache channel and stops
/// serving from memory — an order's status, a revoked key — and a node whose channel is lost drops what it kept.
/// Needs PostgreSQL (test.sh runs it in the PostgreSQL pass).
/// </summary>
[Trait("Category", "MultiNode")]
public sealed class CacheChannelTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private ApiFactory _a = null!;
    private ApiFactory _b = null!;
    private string _connection = null!;

    public async Task InitializeAsync()
    {
        if (!ApiFactory.OnPostgres)
            throw new InvalidOperationException("The cache channel needs PostgreSQL: PAYMENTS_TEST_STORE=postgres (test.sh's PostgreSQL pass).");
        _a = new ApiFactory();
        _ = _a.Server; // migrates and seeds
        _connection = _a.Services.GetRequiredService<IConfiguration>().GetConnectionString("Payments")!;
        _b = new ApiFactory().With("ConnectionStrings:Payments", _connection).With("Payments:ReadCache:Enabled", "false");
        _ = _b.Server;
        await Until(() => Channel(_a).ListenerProcessId != 0 && Cache(_a).Serving, "node A listens on the cache channel");
        Assert.False(Cache(_b).Serving); // off: it neither serves nor listens, but announces
        Assert.Equal(0, Channel(_b).ListenerProcessId);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    private static ReadCache Cache(ApiFactory node) => node.Services.GetRequiredService<ReadCache>();
    private static CacheChannel Channel(ApiFactory node) => node.Services.GetRequiredService<CacheChannel>();
    private static string OrderKey(string id) => ReadCache.Order(new PaymentOrderId(Guid.Parse(id)));
    private static bool Holds(ApiFactory node, string key) => Cache(node).TryGet<object>(key, out _);

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not within {Bound.TotalSeconds} s: {what}.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task An_order_polled_on_one_node_reads_paid_there_once_the_other_node_takes_the_payment()
    {
        var a = _a.Portal();
        var b = _b.Portal();
        var order = await a.CreateOrderAsync(Wire.OrderBody(dossier: "000.00.12.H29-CHAN-0001"));
        var id = order.GetProperty("id").GetString()!;
        var key = OrderKey(id);
        Assert.Equal("created", (await a.GetOrderAsync(id)).GetProperty("status").GetString());
        Assert.True(Holds(_a, key), "node A serves the order's status from memory");

        var attempt = await b.StartAttemptAsync(id);
        await Until(() => !Holds(_a, key), "node A hears that node B started an attempt");
        Assert.Equal("awaiting_payment", (await a.GetOrderAsync(id)).GetProperty("status").GetString());
        Assert.True(Holds(_a, key));

        Assert.Equal("00", await b.SendIpnAsync(Wire.Ipn(attempt.GetProperty("providerReference").GetString()!,
            order.GetProperty("amount").GetProperty("value").GetInt64() * 100, "7712350001")));
        await Until(() => !Holds(_a, key), "node A hears that node B took the payment");
        var paid = await a.GetOrderAsync(id);
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Object, paid.GetProperty("receipt").ValueKind);
        Assert.True(Channel(_a).Heard >= 2);
    }

    [Fact]
    public async Task A_key_revoked_on_one_node_is_refused_on_the_other()
    {
        const string key = "pk_test_channel_agency_key_0003";
        _a.AddAgency("000.00.77.H77", "Channel agency", key, []);
        using var portal = _a.Portal(key);
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync("/api/v1/payment-orders?dossierCode=none")).StatusCode); // the key is cached on A

        // A save outside any command (as the admin page makes): it gets a transaction of its own to announce in.
        _b.Db(db =>
        {
            var client = db.ApiClients.Single(c => c.AgencyCode == "000.00.77.H77");
            client.RevokedAt = DateTimeOffset.UtcNow;
            return db.SaveChanges();
        });
        var deadline = DateTime.UtcNow + Bound;
        HttpStatusCode status;
        while ((status = (await portal.GetAsync("/api/v1/payment-orders?dossierCode=none")).StatusCode) == HttpStatusCode.OK && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Only_committed_changes_to_what_a_node_may_hold_are_announced()
    {
        var heard = new List<string>();
        await using var listener = new NpgsqlConnection(_connection);
        await listener.OpenAsync();
        listener.Notification += (_, e) => { lock (heard) heard.Add(e.Payload); };
        await using (var listen = new NpgsqlCommand($"LISTEN {CacheChannel.Name}", listener)) await listen.ExecuteNonQueryAsync();
        string[] Mentioning(string key) { lock (heard) return heard.Where(p => p.Split(' ').Contains(key)).ToArray(); }
        async Task<string[]> HeardAtLeast(string key, int count)
        {
            var deadline = DateTime.UtcNow + Bound;
            while (Mentioning(key).Length < count && DateTime.UtcNow < deadline) await listener.WaitAsync(TimeSpan.FromMilliseconds(100));
            await listener.WaitAsync(TimeSpan.FromMilliseconds(300)); // nothing more comes for it
            return Mentioning(key);
        }

        var portal = _a.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "000.00.12.H29-CHAN-0002"));
        var id = order.GetProperty("id").GetString()!;
        var attempt = await portal.StartAttemptAsync(id);
        // The payment: announced before the receipt counter is locked (what its commit would announce again is the same
        // payload, which PostgreSQL delivers once per transaction).
        Assert.Equal("00", await portal.SendIpnAsync(Wire.Ipn(attempt.GetProperty("providerReference").GetString()!,
            order.GetProperty("amount").GetProperty("value").GetInt64() * 100, "7712350003")));
        // Notifications arrive in commit order: once the payment's is heard, any before it has been too. The attempt and
        // the payment are; the creation is not (no node can hold an order that did not exist).
        var announced = await HeardAtLeast(OrderKey(id), 2);
        Assert.Equal(2, announced.Length);
        Assert.All(announced, p => Assert.Equal(Cache(_a).Node, p.Split(' ')[0]));

        // A payment rolled back after its announcement was sent (its agency has no receipt series, so no number can be
        // taken): PostgreSQL never delivers it. The cancellation after it is heard; the rolled-back payment between is not.
        const string agency = "000.00.66.H66", key = "pk_test_channel_no_series_0005";
        _a.AddAgency(agency, "Agency without a series", key,
            [new Domain.Fees.FeeItem("NS-FEE", "Lệ phí thử", Domain.Fees.FeeKind.LePhi, Money.Vnd(50_000), "—", agency)]);
        var other = _a.Portal(key);
        var lone = (await other.CreateOrderAsync(Wire.OrderBody(dossier: "CHAN-NO-SERIES", fee: "NS-FEE", agency: agency))).GetProperty("id").GetString()!;
        var loneAttempt = await other.StartAttemptAsync(lone);
        Assert.Equal("99", await _a.Anonymous().SendIpnAsync(Wire.Ipn(loneAttempt.GetProperty("providerReference").GetString()!, 50_000 * 100, "7712350004")));
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsync($"/api/v1/payment-orders/{lone}/cancel", null)).StatusCode);
        Assert.Equal(2, (await HeardAtLeast(OrderKey(lone), 2)).Length); // the attempt and the cancellation
    }

    [Fact]
    public async Task A_node_whose_channel_is_lost_drops_what_it_kept_and_listens_again()
    {
        var portal = _a.Portal();
        var id = (await portal.CreateOrderAsync(Wire.OrderBody(dossier: "000.00.12.H29-CHAN-0003"))).GetProperty("id").GetString()!;
        await portal.GetOrderAsync(id);
        Assert.True(Holds(_a, OrderKey(id)));

        var listenerPid = Channel(_a).ListenerProcessId;
        await using (var admin = new NpgsqlConnection(_connection))
        {
            await admin.OpenAsync();
            await using var end = new NpgsqlCommand($"SELECT pg_terminate_backend({listenerPid})", admin);
            Assert.True((bool)(await end.ExecuteScalarAsync())!);
        }
        await Until(() => Channel(_a).ListenerProcessId is var pid && pid != 0 && pid != listenerPid && Cache(_a).Serving,
            "node A listens again on a new connection");
        Assert.False(Holds(_a, OrderKey(id)), "writes made while nobody listened were never heard: nothing kept before survives");
        Assert.Equal("created", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
        Assert.True(Holds(_a, OrderKey(id)));
    }
}
