using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Payments.Api.Tests;

/// <summary>
/// Seeded fuzzing of every write a stranger or a portal can send: malformed and truncated JSON, invalid UTF-8, wrong
/// types, huge and negative numbers, deep nesting, oversized values, wrong content types, unknown fields. Each answer is
/// a 4xx ProblemDetails — never a 5xx — and nothing is written.
/// </summary>
public class HostileInputTests : IClassFixture<ApiFactory>
{
    private const int Seed = 20261124;
    private readonly ApiFactory _api;

    public HostileInputTests(ApiFactory api) => _api = api;

    private static readonly string[] JsonShapes =
    [
        "", "{", "}", "[]", "null", "true", "0", "\"text\"", "{\"a\":", "{\"dossierCode\":}", "{\"fees\":[{]}", "[{}]",
        "{\"dossierCode\":123,\"fees\":\"GPLX-CAP\"}", "{\"fees\":[{\"feeCode\":\"GPLX-CAP\",\"quantity\":99999999999999999999999}]}",
        "{\"fees\":[{\"feeCode\":\"GPLX-CAP\",\"quantity\":-5}]}", "{\"fees\":[{\"feeCode\":\"GPLX-CAP\",\"quantity\":1e400}]}",
        "{\"fees\":[{\"feeCode\":\"GPLX-CAP\",\"quantity\":1.5}]}", "{\"amount\":-100,\"reason\":\"x\"}", "{\"amount\":9223372036854775808}",
        "{\"amount\":\"100\"}", "{\"provider\":{\"x\":1}}", "{\"method\":\"cash\",\"amount\":-1}", "{\"method\":null,\"cashier\":[]}",
        "{\"payer\":{\"fullName\":\"\\u0000\\uD800\",\"idNumber\":\"001088012345\"}}", "{\"provider\":\"sandbox\",\"locale\":\"\\uDFFF\"}",
    ];

    private static IEnumerable<HttpContent> Bodies(Random random)
    {
        foreach (var shape in JsonShapes) yield return Json(shape);
        yield return Json(new string('[', 5_000) + new string(']', 5_000)); // deeper than any JSON reader allows
        yield return Json("{\"dossierCode\":\"" + new string('A', 2_000_000) + "\"}"); // oversized value
        for (var i = 0; i < 60; i++)
        {
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes); // mostly invalid UTF-8
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            yield return content;
        }
        for (var i = 0; i < 40; i++)
        {
            var valid = JsonSerializer.Serialize(Wire.OrderBody(dossier: $"000.00.12.H29-FUZZ-{i:D4}"), Wire.JsonOptions);
            var cut = valid[..random.Next(0, valid.Length - 1)]; // truncated somewhere
            yield return Json(cut);
        }
        yield return new StringContent("dossierCode=X&fees=1", Encoding.UTF8, "application/x-www-form-urlencoded");
        yield return new StringContent("<order/>", Encoding.UTF8, "application/xml");
        yield return new StringContent("{}", Encoding.UTF8, "text/plain");
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private (int Orders, int Attempts, int Refunds, int Keys, int Outbox, int Ledger, int Audit) Counts() => _api.Db(db =>
        (db.Orders.Count(), db.Attempts.Count(), db.Refunds.Count(), db.IdempotencyRecords.Count(), db.Outbox.Count(),
         db.LedgerTransactions.Count(), db.Audit.Count()));

    private static async Task AssertProblemAsync(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{what} answered {status}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("code").GetString()), $"{what}: a stable error code");
    }

    [Fact]
    public async Task Hostile_bodies_on_every_portal_write_get_a_4xx_problem_and_write_nothing()
    {
        var portal = _api.Portal();
        var order = (await portal.CreateOrderAsync(Wire.OrderBody(dossier: "000.00.12.H29-FUZZ-TARGET"))).GetProperty("id").GetString()!;
        var before = Counts();
        var random = new Random(Seed);
        string[] routes = ["/api/v1/payment-orders", $"/api/v1/payment-orders/{order}/attempts", $"/api/v1/payment-orders/{order}/refunds",
                           $"/api/v1/payment-orders/{order}/counter-payments", "/api/v1/webhook"];
        var sent = 0;
        foreach (var route in routes)
            foreach (var body in Bodies(random))
            {
                var request = new HttpRequestMessage(route.EndsWith("webhook") ? HttpMethod.Put : HttpMethod.Post, route) { Content = body };
                request.Headers.Add("Idempotency-Key", $"fuzz-{sent}");
                await AssertProblemAsync(await portal.SendAsync(request), $"{route} #{sent}");
                sent++;
            }
        Assert.True(sent > 600);
        Assert.Equal(before, Counts());
    }

    [Fact]
    public async Task Hostile_callbacks_and_citizen_posts_never_fail_with_a_5xx_and_write_nothing()
    {
        var anonymous = _api.Anonymous();
        var before = Counts();
        var random = new Random(Seed + 1);
        foreach (var provider in new[] { "sandbox", "vnptpay", "vietqr", "stripe", "nope" })
            foreach (var body in Bodies(random))
            {
                var response = await anonymous.PostAsync($"/callbacks/{provider}", body);
                Assert.True((int)response.StatusCode < 500, $"/callbacks/{provider} answered {(int)response.StatusCode}");
            }
        for (var i = 0; i < 200; i++)
        {
            var query = string.Join('&', Enumerable.Range(0, random.Next(0, 12)).Select(_ =>
                $"{Uri.EscapeDataString(RandomText(random))}={Uri.EscapeDataString(RandomText(random))}"));
            Assert.True((int)(await anonymous.GetAsync($"/callbacks/sandbox?{query}")).StatusCode < 500, query);
            // (a NUL in the path never reaches us: the server refuses the request line)
            Assert.True((int)(await anonymous.PostAsync($"/pay/{Uri.EscapeDataString(RandomText(random).Replace("\0", ""))}/attempts",
                new StringContent(query, Encoding.UTF8, "application/x-www-form-urlencoded"))).StatusCode < 500, query);
        }
        Assert.Equal(before, Counts());
    }

    [Fact]
    public async Task Status_and_amount_sent_by_the_caller_are_ignored()
    {
        var body = JsonSerializer.Serialize(Wire.OrderBody(dossier: "000.00.12.H29-FUZZ-MASS"), Wire.JsonOptions);
        body = body[..^1] + ",\"status\":\"paid\",\"amount\":{\"value\":1,\"currency\":\"VND\"},\"paidAt\":\"2026-01-01T00:00:00Z\",\"id\":\"00000000-0000-0000-0000-000000000001\"}";
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment-orders") { Content = Json(body) };
        request.Headers.Add("Idempotency-Key", "fuzz-mass-assignment");
        var created = await (await _api.Portal().SendAsync(request)).Json();
        Assert.Equal("created", created.GetProperty("status").GetString());
        Assert.NotEqual(1, created.GetProperty("amount").GetProperty("value").GetInt64());
        Assert.NotEqual("00000000-0000-0000-0000-000000000001", created.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("paidAt").ValueKind);
    }

    private static string RandomText(Random random)
    {
        const string alphabet = "vnp_TxnRefAmountSecureHash0123456789=&%+ \u0000\u00e9\u1ec7\ud83d\ude00<>\"'";
        return new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }
}
