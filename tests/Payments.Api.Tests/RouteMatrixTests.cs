using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Infrastructure;

namespace Payments.Api.Tests;

/// <summary>
/// Every route the service maps, found at run time (a route added tomorrow is covered tomorrow): the API refuses a
/// caller without a key, finance routes refuse a portal-only key, another agency's key finds nothing of ours, and every
/// staff page sends a stranger to sign in. Role by role checks for the staff pages are in StaffPagesTests.
/// </summary>
public class RouteMatrixTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;

    public RouteMatrixTests(ApiFactory api) => _api = api;

    internal sealed record Route(string Method, string Pattern, IReadOnlyList<string> Policies, bool Anonymous, Microsoft.AspNetCore.Http.Endpoint Endpoint);

    private IReadOnlyList<Route> Routes() => Of(_api);

    /// <summary>Every route the running service maps, one per HTTP method (pages: GET and their POST handlers).</summary>
    internal static IReadOnlyList<Route> Of(ApiFactory api) =>
        api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]).Select(m => new Route(m,
                "/" + e.RoutePattern.RawText!.TrimStart('/'),
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? "").ToList(),
                e.Metadata.GetMetadata<IAllowAnonymous>() is not null, e)))
            .Where(r => r.Method is "GET" or "POST" or "PUT" or "DELETE")
            .ToList();

    /// <summary>A concrete URL for a pattern: ids that exist nowhere, names that do.</summary>
    internal static string Url(string pattern, string id) => Regex.Replace(pattern, @"\{([a-zA-Z]+)(:[^}]*)?\}", m => m.Groups[1].Value switch
    {
        "id" => id,
        "name" => "journal",
        "provider" => "sandbox",
        _ => "x",
    });

    private static HttpRequestMessage Request(string method, string url) =>
        new(new HttpMethod(method), url) { Content = method == "GET" ? null : new StringContent("{}", Encoding.UTF8, "application/json") };

    [Fact]
    public async Task Every_api_route_refuses_a_caller_without_a_key()
    {
        var api = Routes().Where(r => r.Pattern.StartsWith("/api/v1/")).ToList();
        Assert.True(api.Count >= 20, $"found {api.Count} API routes");
        var anonymous = _api.Anonymous();
        foreach (var route in api)
        {
            Assert.False(route.Anonymous, $"{route.Method} {route.Pattern} allows anonymous callers");
            var response = await anonymous.SendAsync(Request(route.Method, Url(route.Pattern, Guid.NewGuid().ToString())));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route.Method} {route.Pattern}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Finance_routes_refuse_a_portal_only_key_and_another_agency_never_sees_our_orders()
    {
        _api.AddOtherAgencyClient(); // scope "portal" only, agency 000.00.99.H99
        var order = (await _api.Portal().CreateOrderAsync(Wire.OrderBody(dossier: "000.00.12.H29-MATRIX-0001"))).GetProperty("id").GetString()!;
        var other = _api.Portal(ApiFactory.OtherAgencyKey);
        var routes = Routes().Where(r => r.Pattern.StartsWith("/api/v1/")).ToList();

        foreach (var route in routes.Where(r => r.Policies.Contains(PaymentsApiSetup.FinancePolicy)))
        {
            var response = await other.SendAsync(Request(route.Method, Url(route.Pattern, Guid.NewGuid().ToString())));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route.Method} {route.Pattern}: {(int)response.StatusCode}");
        }
        foreach (var route in routes.Where(r => r.Pattern.StartsWith("/api/v1/payment-orders/{id")))
        {
            var response = await other.SendAsync(Request(route.Method, Url(route.Pattern, order)));
            Assert.True((int)response.StatusCode is 404 or 400 or 422, $"{route.Method} {route.Pattern} with another agency's order: {(int)response.StatusCode}");
            Assert.DoesNotContain("000.00.12.H29-MATRIX-0001", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal("created", (await _api.Portal().GetOrderAsync(order)).GetProperty("status").GetString()); // untouched
    }

    [Fact]
    public async Task Every_staff_page_sends_a_stranger_to_sign_in()
    {
        var pages = Routes().Where(r => r.Pattern.StartsWith("/staff") && r.Method == "GET"
                                        && !r.Pattern.StartsWith("/staff/sign-in") && !r.Pattern.StartsWith("/staff/denied")).ToList();
        Assert.True(pages.Count >= 10, $"found {pages.Count} staff pages");
        var anonymous = _api.Anonymous();
        foreach (var page in pages)
        {
            var response = await anonymous.GetAsync(Url(page.Pattern, Guid.NewGuid().ToString()));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/staff/sign-in"),
                $"{page.Pattern}: {(int)response.StatusCode} {response.Headers.Location}");
        }
    }
}
