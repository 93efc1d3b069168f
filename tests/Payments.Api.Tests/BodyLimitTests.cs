using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Payments.Api.Infrastructure.Http;

namespace Payments.Api.Tests;

/// <summary>
/// Every route that takes a body refuses one above its limit before reading it — 64 KB unless the route declares its
/// own (statement uploads) — with 413 <c>payload_too_large</c>, and nothing is written. Routes are read from the endpoint
/// table, so a route added tomorrow is covered tomorrow.
/// </summary>
public class BodyLimitTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;

    public BodyLimitTests(ApiFactory api) => _api = api;

    private static HttpRequestMessage Oversized(string method, string url, long bytes) => new(new HttpMethod(method), url)
    {
        Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"dossierCode\":\"" + new string('A', (int)bytes - 18) + "\"}"))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
        },
    };

    [Fact]
    public async Task Every_route_that_takes_a_body_refuses_one_above_its_limit_and_writes_nothing()
    {
        var routes = RouteMatrixTests.Of(_api).Where(r => r.Method is "POST" or "PUT" or "DELETE").ToList();
        Assert.True(routes.Count >= 25, $"found {routes.Count} routes that take a body");
        var portal = _api.Portal();
        var orders = _api.Db(db => db.Orders.Count());
        var audit = _api.Db(db => db.Audit.Count());
        foreach (var route in routes)
        {
            var declared = route.Endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
            var limit = declared ?? BodyLimits.DefaultMaxBytes;
            var url = RouteMatrixTests.Url(route.Pattern, Guid.NewGuid().ToString());
            var response = await portal.SendAsync(Oversized(route.Method, url, limit + 1));
            Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{route.Method} {route.Pattern}: {(int)response.StatusCode} for {limit + 1} bytes");
            Assert.Equal("payload_too_large", (await response.Json()).GetProperty("code").GetString());
            if (declared is null) continue;
            // A route that declares a larger limit takes bodies above the default.
            var within = await portal.SendAsync(Oversized(route.Method, url, BodyLimits.DefaultMaxBytes * 2));
            Assert.True(within.StatusCode != HttpStatusCode.RequestEntityTooLarge, $"{route.Method} {route.Pattern} refused a body within its declared limit");
        }
        Assert.Equal(orders, _api.Db(db => db.Orders.Count()));
        Assert.Equal(audit, _api.Db(db => db.Audit.Count()));
    }

    [Fact]
    public async Task A_body_within_the_limit_is_served_and_the_limit_is_configurable()
    {
        Assert.Equal(HttpStatusCode.Created, (await _api.Portal().SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "LIMIT-OK"), "limit-ok"))).StatusCode);

        await using var strict = new ApiFactory().With("Payments:RequestLimits:MaxBodyBytes", "200");
        var refused = await strict.Portal().SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "LIMIT-STRICT"), "limit-strict"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal(0, strict.Db(db => db.Orders.Count(o => o.DossierCode == "LIMIT-STRICT")));
    }
}
