using System.Net;
using System.Text.Json;

namespace Payments.Api.Tests;

/// <summary>Public pages, provider callbacks and staff sign-in are limited per address: 429 ProblemDetails with Retry-After.</summary>
public class RateLimitTests
{
    private static async Task AssertLimitedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rate_limited", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After tells when to come back");
    }

    [Fact]
    public async Task Callbacks_beyond_the_limit_are_refused_with_429_and_none_of_them_is_applied()
    {
        using var api = new ApiFactory().With("Payments:RateLimits:Callbacks:PermitLimit", "5");
        var client = api.Anonymous();
        for (var i = 0; i < 5; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.GetAsync($"/callbacks/sandbox?vnp_TxnRef=nothing-{i}")).StatusCode);
        await AssertLimitedAsync(await client.GetAsync("/callbacks/sandbox?vnp_TxnRef=nothing-6"));
        // The portal API is authenticated and per agency: not limited by the public policies.
        Assert.Equal(HttpStatusCode.OK, (await api.Portal().GetAsync("/api/v1/fees")).StatusCode);
    }

    [Fact]
    public async Task Public_pages_and_verification_beyond_the_limit_are_refused_with_429()
    {
        using var api = new ApiFactory().With("Payments:RateLimits:Public:PermitLimit", "3");
        var client = api.Anonymous();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/verify/guess-{i}")).StatusCode);
        await AssertLimitedAsync(await client.GetAsync("/verify/guess-4"));
        await AssertLimitedAsync(await client.GetAsync("/pay/guess-5"));
    }

    [Fact]
    public async Task Staff_sign_in_beyond_the_limit_is_refused_with_429()
    {
        using var api = new ApiFactory().With("Payments:RateLimits:SignIn:PermitLimit", "2");
        var client = api.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff/sign-in")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/staff/sign-in")).StatusCode);
        await AssertLimitedAsync(await client.GetAsync("/staff/sign-in"));
    }
}
