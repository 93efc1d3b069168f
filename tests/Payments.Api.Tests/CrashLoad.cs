using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace Payments.Api.Tests;

/// <summary>What the service answered while it was being killed. Only answered requests count: an answer must be durable.</summary>
internal sealed class Acknowledged
{
    /// <summary>Orders answered 201: id → amount.</summary>
    public ConcurrentDictionary<string, long> Orders { get; } = new();
    /// <summary>Idempotency-Key → the order id its first 201 named (every replay must name the same).</summary>
    public ConcurrentDictionary<string, string> Keys { get; } = new();
    /// <summary>Orders whose signed IPN was answered 00 or 02: id → the wallet's transaction number.</summary>
    public ConcurrentDictionary<string, string> Paid { get; } = new();
    /// <summary>Answers no correct service gives here (a 5xx, a replay naming another order, a second "00"…).</summary>
    public ConcurrentQueue<string> Wrong { get; } = new();
    public int Sent, Answered, Unanswered;
}

/// <summary>
/// One portal-and-wallet pair of the crash test, looping: create an order (Idempotency-Key), sometimes replay it, start a
/// sandbox attempt, send the signed IPN — sometimes twice at once, sometimes again later. A request that gets no answer
/// (the process died under it) is sent again once a node is up, as a portal or a wallet would: same key, same IPN.
/// </summary>
internal sealed class CrashLoad(Func<Task<HttpClient>> node, Acknowledged acks, int worker, int seed)
{
    /// <summary>Demo fees with an online amount above zero.</summary>
    private static readonly string[] Fees = ["GPLX-CAP", "LLTP", "LLTP-UUDAI", "HOCHIEU", "CCCD-DOI", "DKKD-CONGBO"];
    private const int MaxSends = 50;

    public async Task RunAsync(CancellationToken stop)
    {
        var random = new Random(seed * 100 + worker);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var key = $"crash-{seed}-{worker}-{i}";
            var body = Wire.OrderBody(dossier: $"CRASH-{worker}-{i}", fee: Fees[random.Next(Fees.Length)], quantity: random.Next(1, 4));
            if (await CreateAsync(key, body) is not var (id, amount)) continue;
            if (random.Next(5) == 0) await CreateAsync(key, body); // the portal retries: the same order
            if (random.Next(4) == 0) continue; // left unpaid
            if (await StartAttemptAsync(id) is not { } reference) continue;
            var transaction = $"{seed % 100:D2}{worker:D2}{i:D6}";
            var ipn = Wire.Ipn(reference, amount * 100, transaction);
            var codes = random.Next(3) == 0
                ? await Task.WhenAll(IpnAsync(id, ipn, transaction), IpnAsync(id, ipn, transaction)) // the wallet's retry racing its first
                : [await IpnAsync(id, ipn, transaction)];
            if (codes.Count(c => c == "00") > 1) acks.Wrong.Enqueue($"order {id}: the same IPN was answered 00 twice");
            if (random.Next(3) == 0 && codes.All(c => c is not null) && await IpnAsync(id, ipn, transaction) is var again && again != "02")
                acks.Wrong.Enqueue($"order {id}: a repeated IPN was answered {again}, not 02");
        }
    }

    private async Task<(string Id, long Amount)?> CreateAsync(string key, object body)
    {
        var res = await SendAsync(() => Wire.CreateOrder(body, key));
        if (res.StatusCode != HttpStatusCode.Created)
        {
            await WrongAsync($"create {key}", res);
            return null;
        }
        var order = await res.Json();
        var (id, amount) = (order.GetProperty("id").GetString()!, order.GetProperty("amount").GetProperty("value").GetInt64());
        if (acks.Keys.GetOrAdd(key, id) != id) acks.Wrong.Enqueue($"create {key}: a replay named order {id}, not {acks.Keys[key]}");
        if (acks.Orders.GetOrAdd(id, amount) != amount) acks.Wrong.Enqueue($"order {id}: answered with amount {amount}, earlier {acks.Orders[id]}");
        return (id, amount);
    }

    private async Task<string?> StartAttemptAsync(string id)
    {
        var res = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payment-orders/{id}/attempts")
            { Content = JsonContent.Create(new { provider = "sandbox" }) });
        if (res.StatusCode != HttpStatusCode.Created)
        {
            await WrongAsync($"attempt on {id}", res);
            return null;
        }
        return (await res.Json()).GetProperty("providerReference").GetString();
    }

    /// <summary>The wallet's answer code; 00 (confirmed) or 02 (already confirmed) acknowledges the payment.</summary>
    private async Task<string?> IpnAsync(string id, string ipn, string transaction)
    {
        var res = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "/callbacks/sandbox?" + ipn));
        var code = res.StatusCode == HttpStatusCode.OK ? (await res.Json()).GetProperty("RspCode").GetString() : null;
        if (code is "00" or "02") acks.Paid[id] = transaction;
        else await WrongAsync($"IPN for {id}", res);
        return code;
    }

    /// <summary>Sends until answered (a whole response, body included), on whichever node is up.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request)
    {
        for (var sends = 1; ; sends++)
        {
            var client = await node();
            Interlocked.Increment(ref acks.Sent);
            try
            {
                var res = await client.SendAsync(request());
                Interlocked.Increment(ref acks.Answered);
                return res;
            }
            catch (HttpRequestException) when (sends < MaxSends)
            {
                Interlocked.Increment(ref acks.Unanswered); // killed under it: maybe applied, maybe not
            }
        }
    }

    private async Task WrongAsync(string what, HttpResponseMessage res) =>
        acks.Wrong.Enqueue($"{what}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
}
