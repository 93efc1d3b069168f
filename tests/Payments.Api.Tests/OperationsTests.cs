using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Payments.Api.Tests;

public class OperationsTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;

    public OperationsTests(ApiFactory api) => _api = api;

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer(string path) =>
        Assert.Equal(HttpStatusCode.OK, (await _api.Anonymous().GetAsync(path)).StatusCode);

    [Fact]
    public async Task The_openapi_document_describes_the_contract()
    {
        var doc = await (await _api.Anonymous().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        foreach (var path in new[] { "/api/v1/payment-orders", "/api/v1/payment-orders/{id}/attempts", "/api/v1/fees", "/api/v1/ledger/trial-balance", "/api/v1/receipts/{id}" })
            Assert.Contains($"\"{path}\"", doc);
    }

    [Fact]
    public async Task The_interactive_docs_page_is_served_from_this_service_with_no_cdn()
    {
        var client = _api.Anonymous();
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/docs")).StatusCode);
        var page = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("scalar.js", html);
        Assert.DoesNotContain("cdn.", html);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs/scalar.js")).StatusCode);
    }

    [Fact]
    public void The_store_is_migrated_and_durable()
    {
        Assert.Empty(_api.Db(db => db.Database.GetPendingMigrations().ToList()));
        Assert.NotEmpty(_api.Db(db => db.Database.GetAppliedMigrations().ToList()));
        Assert.Equal("wal", _api.Db(db => db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").AsEnumerable().Single()));
        // 2 = FULL, set on every connection by the interceptor.
        Assert.Equal(2, _api.Db(db => db.Database.SqlQueryRaw<int>("PRAGMA synchronous").AsEnumerable().Single()));
        Assert.True(File.Exists(_api.DatabasePath));
    }

    [Fact]
    public void Every_model_change_has_its_migration() =>
        Assert.False(_api.Db(db => db.Database.HasPendingModelChanges()), "run: dotnet ef migrations add <Name> --context SqlitePaymentsDbContext");

    [Fact]
    public void Api_keys_are_stored_hashed()
    {
        var stored = _api.Db(db => db.ApiClients.Select(c => c.KeyHash).ToList());
        Assert.DoesNotContain(ApiFactory.ApiKey, stored);
        Assert.Contains(Infrastructure.Auth.ApiKeys.Hash(ApiFactory.ApiKey), stored);
    }
}
