namespace Payments.Api.Tests;

/// <summary>Each test gets its own store, so the numbers it sees are all the numbers there are.</summary>
public class ReceiptNumberingTests
{
    private static IReadOnlyList<int> Numbers(ApiFactory api) =>
        api.Db(db => db.Receipts.Select(r => r.Number).ToList()).OrderBy(n => n).ToList();

    [Fact]
    public async Task Sequential_payments_number_receipts_1_to_n()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        for (var i = 0; i < 12; i++) await portal.PayAsync($"NUM-SEQ-{i}");
        Assert.Equal(Enumerable.Range(1, 12), Numbers(api));
        Assert.Single(api.Db(db => db.Receipts.Select(r => r.Series).Distinct().ToList()));
    }

    [Fact]
    public async Task Concurrent_payments_number_receipts_1_to_n_without_gaps()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        const int n = 40;
        var ready = new List<(string Reference, int Index)>();
        for (var i = 0; i < n; i++)
        {
            var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: $"NUM-PAR-{i}"));
            ready.Add(((await portal.StartAttemptAsync(order.GetProperty("id").GetString()!)).GetProperty("providerReference").GetString()!, i));
        }
        // A few forged and wrong-amount callbacks in the mix must not take numbers either.
        var client = api.Anonymous();
        var calls = ready.SelectMany(r => new[]
        {
            client.SendIpnAsync(Wire.Ipn(r.Reference, 13_500_000, (16_000_000 + r.Index).ToString())),
            client.SendIpnAsync(Wire.Ipn(r.Reference, 135_000, (17_000_000 + r.Index).ToString())),
            client.SendIpnAsync(Wire.Ipn(r.Reference, 13_500_000, (18_000_000 + r.Index).ToString(), secret: "forged-secret-0123456789")),
        });
        var codes = await Task.WhenAll(calls);
        Assert.Equal(n, codes.Count(c => c == "00"));
        Assert.Equal(Enumerable.Range(1, n), Numbers(api));
    }
}
