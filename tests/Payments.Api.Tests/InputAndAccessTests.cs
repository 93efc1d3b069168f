using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Payments.Api.Tests;

/// <summary>Bad input and the wrong caller get a clear 4xx problem with a stable code, and nothing is written.</summary>
public class InputAndAccessTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;
    private readonly HttpClient _portal;

    public InputAndAccessTests(ApiFactory api) { _api = api; _portal = api.Portal(); api.AddOtherAgencyClient(); }

    private int Orders() => _api.Db(db => db.Orders.Count());

    private static async Task AssertProblem(HttpResponseMessage res, HttpStatusCode status, string code)
    {
        Assert.Equal(status, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        var body = await res.Json();
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Unknown_fee_code_is_422_and_nothing_is_written()
    {
        var before = Orders();
        await AssertProblem(await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(fee: "NO-SUCH-FEE"), "k-unknown-fee")),
            HttpStatusCode.UnprocessableEntity, "unknown_fee");
        Assert.Equal(before, Orders());
        Assert.Equal(0, _api.Db(db => db.IdempotencyRecords.Count(r => r.Key == "k-unknown-fee")));
    }

    [Fact]
    public async Task A_failed_request_does_not_burn_its_idempotency_key()
    {
        await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IN-RETRY", fee: "NO-SUCH-FEE"), "k-retry"));
        var fixedBody = await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IN-RETRY"), "k-retry"));
        Assert.Equal(HttpStatusCode.Created, fixedBody.StatusCode);
    }

    [Fact]
    public async Task Missing_or_wrong_api_key_is_401()
    {
        await AssertProblem(await _api.Anonymous().SendAsync(Wire.CreateOrder(Wire.OrderBody(), "k-anon")), HttpStatusCode.Unauthorized, "unauthorized");
        await AssertProblem(await _api.Portal("pk_wrong").GetAsync("/api/v1/fees"), HttpStatusCode.Unauthorized, "unauthorized");
        var basic = _api.Anonymous();
        basic.DefaultRequestHeaders.Add("Authorization", "Basic " + ApiFactory.ApiKey);
        await AssertProblem(await basic.GetAsync("/api/v1/fees"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("00108801234")]
    [InlineData("0010880123456")]
    [InlineData("00108801234X")]
    [InlineData("")]
    public async Task A_bad_cccd_is_400_naming_the_field(string idNumber)
    {
        var before = Orders();
        var res = await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(idNumber: idNumber), "k-cccd-" + idNumber));
        await AssertProblem(res, HttpStatusCode.BadRequest, "invalid_id_number");
        Assert.True((await res.Json()).GetProperty("errors").TryGetProperty("payer.idNumber", out _));
        Assert.Equal(before, Orders());
    }

    [Fact]
    public async Task Missing_fields_are_400_validation_problems()
    {
        var res = await _portal.SendAsync(Wire.CreateOrder(new { dossierCode = "X" }, "k-missing"));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        var errors = (await res.Json()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("payer", out _));
        Assert.True(errors.TryGetProperty("fees", out _));
        Assert.True(errors.TryGetProperty("agencyCode", out _));
    }

    [Theory]
    [InlineData("""{"fees":[{"feeCode":"GPLX-CAP","quantity":0}]}""", "invalid_quantity")]
    [InlineData("""{"channel":"fax"}""", "invalid_channel")]
    public async Task Field_rules_have_their_own_codes(string partial, string code)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Wire.OrderBody()))!.AsObject();
        foreach (var (k, v) in System.Text.Json.Nodes.JsonNode.Parse(partial)!.AsObject()) body[k] = v?.DeepClone();
        var res = await _portal.SendAsync(Wire.CreateOrder(body, "k-field-" + code));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        var errors = (await res.Json()).GetProperty("errors").EnumerateObject().ToList();
        Assert.NotEmpty(errors);
        Assert.Equal(code, (await res.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Malformed_json_and_wrong_content_type_are_4xx_problems()
    {
        var bad = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment-orders") { Content = new StringContent("{\"dossierCode\":", Encoding.UTF8, "application/json") };
        bad.Headers.Add("Idempotency-Key", "k-malformed");
        await AssertProblem(await _portal.SendAsync(bad), HttpStatusCode.BadRequest, "malformed_request");

        var text = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment-orders") { Content = new StringContent("hello", Encoding.UTF8, "text/plain") };
        text.Headers.Add("Idempotency-Key", "k-text");
        await AssertProblem(await _portal.SendAsync(text), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        var wrongType = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment-orders") { Content = new StringContent("""{"fees":[{"feeCode":"A","quantity":"many"}]}""", Encoding.UTF8, "application/json") };
        wrongType.Headers.Add("Idempotency-Key", "k-type");
        await AssertProblem(await _portal.SendAsync(wrongType), HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task A_client_creates_for_its_own_agency_only()
    {
        var res = await _api.Portal(ApiFactory.OtherAgencyKey).SendAsync(Wire.CreateOrder(Wire.OrderBody(), "k-agency"));
        await AssertProblem(res, HttpStatusCode.Forbidden, "agency_forbidden");
    }

    [Fact]
    public async Task Another_agencys_client_cannot_see_or_touch_an_order()
    {
        var id = await _portal.PayAsync("IN-OTHER");
        var receiptId = (await _portal.GetOrderAsync(id)).GetProperty("receipt").GetProperty("id").GetString();
        var other = _api.Portal(ApiFactory.OtherAgencyKey);
        await AssertProblem(await other.GetAsync($"/api/v1/payment-orders/{id}"), HttpStatusCode.NotFound, "order_not_found");
        await AssertProblem(await other.PostAsync($"/api/v1/payment-orders/{id}/cancel", null), HttpStatusCode.NotFound, "order_not_found");
        await AssertProblem(await other.PostAsJsonAsync($"/api/v1/payment-orders/{id}/attempts", new { provider = "sandbox" }), HttpStatusCode.NotFound, "order_not_found");
        await AssertProblem(await other.GetAsync($"/api/v1/receipts/{receiptId}"), HttpStatusCode.NotFound, "receipt_not_found");
        Assert.Equal(0, (await (await other.GetAsync("/api/v1/payment-orders?dossierCode=IN-OTHER")).Json()).GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await (await other.GetAsync("/api/v1/ledger/trial-balance")).Json()).GetProperty("totalDebit").GetInt64());
    }

    [Theory]
    [InlineData("paypal", "unknown_provider")]
    [InlineData("stripe", "provider_disabled")]
    [InlineData("", "provider_required")]
    public async Task Unknown_or_disabled_providers_are_422(string provider, string code)
    {
        var order = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "IN-PROVIDER-" + provider));
        var res = await _portal.PostAsJsonAsync($"/api/v1/payment-orders/{order.GetProperty("id")}/attempts", new { provider });
        await AssertProblem(res, provider == "" ? HttpStatusCode.BadRequest : HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("created", (await _portal.GetOrderAsync(order.GetProperty("id").GetString()!)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unknown_ids_and_routes_are_404_problems()
    {
        await AssertProblem(await _portal.GetAsync($"/api/v1/payment-orders/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "order_not_found");
        await AssertProblem(await _portal.GetAsync($"/api/v1/receipts/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "receipt_not_found");
        await AssertProblem(await _portal.GetAsync("/api/v1/payment-orders"), HttpStatusCode.BadRequest, "dossier_code_required");
        await AssertProblem(await _portal.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound, "not_found");
        await AssertProblem(await _portal.DeleteAsync("/api/v1/fees"), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task Status_and_amount_in_the_body_are_ignored()
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Wire.OrderBody(dossier: "IN-MASS")))!.AsObject();
        body["status"] = "paid";
        body["amount"] = new System.Text.Json.Nodes.JsonObject { ["value"] = 1, ["currency"] = "VND" };
        var order = await _portal.CreateOrderAsync(body);
        Assert.Equal("created", order.GetProperty("status").GetString());
        Assert.Equal(135_000, order.GetProperty("amount").GetProperty("value").GetInt64());
    }
}
