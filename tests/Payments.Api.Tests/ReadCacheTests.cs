using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;

namespace Payments.Api.Tests;

/// <summary>
/// Hot reads are cached in the process and stay exact because every save invalidates what it touches (ADR-0022):
/// a portal polling an order sees it paid the moment the callback commits, a fee change prices the next order, a
/// revoked key is refused at once (StaffPagesTests). Shared stores keep the cache off.
/// </summary>
public class ReadCacheTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;

    public ReadCacheTests(ApiFactory api) => _api = api;

    [Fact]
    public void A_reader_that_started_before_an_invalidation_cannot_fill_the_cache_with_what_it_read()
    {
        using var cache = new ReadCache(enabled: true);
        var generation = cache.Generation("order:a");
        cache.Invalidate("order:a"); // a write landed while the reader was reading
        cache.Put("order:a", generation, "stale");
        Assert.False(cache.TryGet<string>("order:a", out _));

        cache.Put("order:a", cache.Generation("order:a"), "fresh");
        Assert.True(cache.TryGet<string>("order:a", out var value));
        Assert.Equal("fresh", value);
        cache.Invalidate("order:a");
        Assert.False(cache.TryGet<string>("order:a", out _));
    }

    [Fact]
    public void A_disabled_cache_keeps_nothing()
    {
        using var cache = new ReadCache(enabled: false);
        cache.Put("k", cache.Generation("k"), "v");
        Assert.False(cache.TryGet<string>("k", out _));
    }

    [Fact]
    public void The_cache_is_on_for_sqlite_and_for_postgres_where_it_listens_to_the_other_nodes()
    {
        var cache = _api.Services.GetRequiredService<ReadCache>();
        Assert.True(cache.Enabled);
        Assert.Equal(ApiFactory.OnPostgres, cache.Shared);
    }

    [Fact]
    public void A_shared_cache_serves_only_while_it_hears_the_other_nodes_and_starts_empty_each_time()
    {
        using var cache = new ReadCache(enabled: true, shared: true);
        cache.Put("order:a", cache.Generation("order:a"), "before listening");
        Assert.False(cache.TryGet<string>("order:a", out _)); // nobody listens yet: writes of other nodes would go unheard

        var early = cache.Generation("order:a"); // a reader that started before the channel was heard
        cache.Listening(true);
        cache.Put("order:a", early, "read before listening");
        Assert.False(cache.TryGet<string>("order:a", out _));
        cache.Put("order:a", cache.Generation("order:a"), "fresh");
        Assert.True(cache.TryGet<string>("order:a", out var value));
        Assert.Equal("fresh", value);

        var reading = cache.Generation("order:b");
        cache.Listening(false); // the channel is lost: nothing kept is trusted, nothing new is kept
        Assert.False(cache.TryGet<string>("order:a", out _));
        cache.Put("order:b", reading, "read while the channel broke");
        cache.Put("order:c", cache.Generation("order:c"), "read while not listening");
        cache.Listening(true);
        Assert.False(cache.TryGet<string>("order:a", out _));
        Assert.False(cache.TryGet<string>("order:b", out _));
        Assert.False(cache.TryGet<string>("order:c", out _));
    }

    [Fact]
    public async Task A_polled_order_shows_paid_with_its_receipt_as_soon_as_the_callback_commits()
    {
        var portal = _api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "000.00.12.H29-CACHE-0001"));
        var id = order.GetProperty("id").GetString()!;
        for (var i = 0; i < 3; i++) Assert.Equal("created", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());

        var attempt = await portal.StartAttemptAsync(id);
        Assert.Equal("awaiting_payment", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
        Assert.Equal("00", await portal.SendIpnAsync(Wire.Ipn(attempt.GetProperty("providerReference").GetString()!,
            order.GetProperty("amount").GetProperty("value").GetInt64() * 100, "7712340001")));

        var paid = await portal.GetOrderAsync(id);
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Object, paid.GetProperty("receipt").ValueKind);
    }

    [Fact]
    public async Task Another_agency_never_reads_a_cached_order()
    {
        _api.AddOtherAgencyClient();
        var id = (await _api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "000.00.12.H29-CACHE-0002"))).GetProperty("id").GetString()!;
        await _api.Portal().GetOrderAsync(id); // now cached
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Portal(ApiFactory.OtherAgencyKey).GetAsync($"/api/v1/payment-orders/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_fee_revised_after_an_order_prices_the_next_order()
    {
        var portal = _api.Portal();
        var before = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "000.00.12.H29-CACHE-0003")); // the catalogue is now cached
        var amount = before.GetProperty("amount").GetProperty("value").GetInt64();
        _api.Db(db =>
        {
            var fee = db.Fees.Single(f => f.Code == "GPLX-CAP");
            fee.Revise(fee.Name, Money.Vnd(amount + 5_000), fee.LegalBasis, fee.OnlineDiscountPercent, fee.DiscountFrom, fee.DiscountUntil);
            return db.SaveChanges();
        });
        try
        {
            var after = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "000.00.12.H29-CACHE-0004"));
            Assert.NotEqual(amount, after.GetProperty("amount").GetProperty("value").GetInt64());
        }
        finally
        {
            _api.Db(db =>
            {
                var fee = db.Fees.Single(f => f.Code == "GPLX-CAP");
                fee.Revise(fee.Name, Money.Vnd(amount), fee.LegalBasis, fee.OnlineDiscountPercent, fee.DiscountFrom, fee.DiscountUntil);
                return db.SaveChanges();
            });
        }
    }
}
