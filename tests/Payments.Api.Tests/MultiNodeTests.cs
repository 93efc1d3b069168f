using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace Payments.Api.Tests;

/// <summary>
/// Two API processes on one PostgreSQL database, as behind a load balancer: racing callbacks spread over both nodes
/// pay once, and both nodes' outbox workers deliver every webhook, never the same event twice at the same time.
/// Needs PostgreSQL (test.sh runs it in the PostgreSQL pass; scripts/postgres.sh makes one ready).
/// </summary>
[Trait("Category", "MultiNode")]
public sealed class MultiNodeTests : IAsyncLifetime
{
    private readonly string _server = ApiFactory.PostgresServer;
    private readonly string _database = "payments_mn_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _dir = Directory.CreateTempSubdirectory("payments-multinode-").FullName;
    private readonly List<ApiProcess> _nodes = [];

    public async Task InitializeAsync()
    {
        await using var admin = new NpgsqlConnection(_server);
        try { await admin.OpenAsync(); }
        catch (Exception ex) { throw new InvalidOperationException("The multi-node test needs PostgreSQL: run scripts/postgres.sh (./test.sh does).", ex); }
        await using var create = admin.CreateCommand();
        create.CommandText = $"CREATE DATABASE \"{_database}\"";
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await PostgresDatabases.DropAsync(_server, _database);
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<HttpClient> StartNodeAsync(string name)
    {
        var settings = ApiProcess.Settings(_dir);
        settings["Payments:Store"] = "postgres";
        settings["ConnectionStrings:Payments"] = new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;
        var node = await ApiProcess.StartAsync(name, _dir, settings);
        _nodes.Add(node);
        return node.Portal;
    }

    [Fact]
    public async Task Two_nodes_pay_once_under_racing_callbacks_and_deliver_every_webhook_without_overlap()
    {
        var a = await StartNodeAsync("A"); // migrates and seeds first
        var b = await StartNodeAsync("B");
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(100); // long enough for the other node to try the same event
        Assert.Equal(HttpStatusCode.OK, (await a.PutAsJsonAsync("/api/v1/webhook", new { url = receiver.Url })).StatusCode);

        // One order, 64 identical wallet callbacks spread over both nodes at once: one payment, one receipt.
        var order = await a.CreateOrderAsync(Wire.OrderBody(dossier: "MN-RACE"));
        var id = order.GetProperty("id").GetString()!;
        var attempt = await b.StartAttemptAsync(id);
        var ipn = Wire.Ipn(attempt.GetProperty("providerReference").GetString()!, 13_500_000, "55500001");
        var codes = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            var res = await (i % 2 == 0 ? a : b).GetAsync("/callbacks/sandbox?" + ipn);
            var body = await res.Content.ReadAsStringAsync();
            // Anything but the wallet's answer shows up whole in the failure message.
            return res.IsSuccessStatusCode && System.Text.Json.JsonDocument.Parse(body).RootElement.TryGetProperty("RspCode", out var code)
                ? code.GetString()! : $"{(int)res.StatusCode} {body}";
        }));
        Assert.Equal(1, codes.Count(c => c == "00"));
        Assert.All(codes.Where(c => c != "00"), c => Assert.Equal("02", c)); // "already confirmed"
        var paid = await b.GetOrderAsync(id);
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        await using (var db = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString))
        {
            await db.OpenAsync();
            await using var count = db.CreateCommand();
            count.CommandText = "SELECT (SELECT count(*) FROM \"Receipts\" WHERE \"DossierCode\" = 'MN-RACE'), " +
                                "(SELECT count(*) FROM \"LedgerTransactions\" t JOIN \"PaymentOrders\" o ON o.\"Id\" = t.\"OrderId\" WHERE o.\"DossierCode\" = 'MN-RACE' AND t.\"Kind\" = 'Payment')";
            await using var read = await count.ExecuteReaderAsync();
            await read.ReadAsync();
            Assert.Equal((1L, 1L), (read.GetInt64(0), read.GetInt64(1)));
        }

        // More payments through either node; both nodes' workers deliver: every event at least once, never overlapping.
        for (var i = 0; i < 8; i++) await (i % 2 == 0 ? a : b).PayAsync($"MN-{i}");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (receiver.Requests.Select(r => r.EventId).Distinct().Count() < 9 && DateTime.UtcNow < deadline) await Task.Delay(200);
        var events = receiver.Requests.GroupBy(r => r.EventId).ToList();
        Assert.Equal(9, events.Count);
        Assert.All(events, e => Assert.Equal("payment_order.paid", e.First().EventType));
        Assert.Equal(0, receiver.Overlaps);

        // A cashier signed in through node A keeps working when the load balancer sends them to node B (one key ring).
        var jar = new Dictionary<string, string>();
        using var viaA = new HttpClient(new Jar(jar)) { BaseAddress = a.BaseAddress };
        using var viaB = new HttpClient(new Jar(jar)) { BaseAddress = b.BaseAddress };
        var signedIn = await StaffPages.SignInAsync(viaA, "thu.ngan@demo.gov.vn");
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"{signedIn.StatusCode}: {await signedIn.Content.ReadAsStringAsync()}");
        var desk = await viaB.GetAsync("/staff/cashier");
        Assert.Equal(HttpStatusCode.OK, desk.StatusCode);
        Assert.Contains("Thu ngân", await desk.Content.ReadAsStringAsync());
    }

    /// <summary>A browser's cookie jar shared by both nodes' addresses (one site behind a load balancer).</summary>
    private sealed class Jar(Dictionary<string, string> cookies) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            lock (cookies) if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await base.SendAsync(request, ct);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                lock (cookies)
                    foreach (var pair in set.Select(c => c.Split(';')[0].Split('=', 2)).Where(p => p.Length == 2)) cookies[pair[0]] = pair[1];
            return response;
        }
    }
}
