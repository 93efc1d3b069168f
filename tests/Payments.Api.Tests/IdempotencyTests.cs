using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Tests;

public class IdempotencyTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;
    private readonly HttpClient _portal;

    public IdempotencyTests(ApiFactory api) { _api = api; _portal = api.Portal(); }

    private int OrdersFor(string dossier) => _api.Db(db => db.Orders.Count(o => o.DossierCode == dossier));

    [Fact]
    public async Task Same_key_and_body_replays_the_same_response()
    {
        var body = Wire.OrderBody(dossier: "IDEM-1");
        var first = await _portal.SendAsync(Wire.CreateOrder(body, "key-idem-1"));
        var second = await _portal.SendAsync(Wire.CreateOrder(body, "key-idem-1"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, OrdersFor("IDEM-1"));
    }

    [Fact]
    public async Task Responses_carry_vietnamese_as_utf8_and_escape_html_characters()
    {
        var res = await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IDEM-UTF8-<b>&\u202E"), "key-idem-utf8"));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var text = await res.Content.ReadAsStringAsync();
        Assert.Contains("\"name\":\"Lệ phí", text); // the fee's name, as written
        Assert.DoesNotContain("\\u1EC7", text);
        Assert.Contains("IDEM-UTF8-\\u003Cb\\u003E\\u0026\\u202E", text); // <, > and & stay escaped, and so does a bidi override
        var stored = _api.Db(db => db.IdempotencyRecords.Single(r => r.Key == "key-idem-utf8").ResponseJson);
        Assert.Equal(text, stored); // a replay sends these same bytes
    }

    [Fact]
    public async Task A_create_answers_201_with_its_location_and_the_json_it_stored()
    {
        var res = await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IDEM-LOC"), "key-idem-loc"));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        Assert.Equal("application/json", res.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", res.Content.Headers.ContentType?.CharSet);
        var text = await res.Content.ReadAsStringAsync();
        var id = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetString();
        Assert.Equal($"/api/v1/payment-orders/{id}", res.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await _portal.GetAsync(res.Headers.Location)).StatusCode);
    }

    [Fact]
    public async Task A_replay_sends_the_stored_answer_byte_for_byte()
    {
        // A reply stored before session 10 escaped every Vietnamese letter (\uXXXX). A replay sends it as it was stored,
        // not as this version would write it again.
        var first = await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IDEM-OLD"), "key-idem-old"));
        var text = await first.Content.ReadAsStringAsync();
        var escaped = text.Replace("Lệ phí", "L\\u1EC7 ph\\u00ED");
        Assert.NotEqual(text, escaped);
        _api.Db(db => db.Database.ExecuteSql($"UPDATE \"IdempotencyRecords\" SET \"ResponseJson\" = {escaped} WHERE \"Key\" = 'key-idem-old'"));

        var replay = await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IDEM-OLD"), "key-idem-old"));
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal(escaped, await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_used_key_is_answered_with_its_stored_response_even_where_the_request_is_now_refused()
    {
        // A create's first run does not look its key up (ADR-0033); a run refused before its insert looks it up before
        // it answers, so the stored response still comes first, as when the key was always looked up first.
        _api.AddAgency("000.00.71.H71", "Idempotency agency", "pk_test_idem_71",
            [new Domain.Fees.FeeItem("IDEM-GONE", "Lệ phí tạm", Domain.Fees.FeeKind.LePhi, Domain.Common.Money.Vnd(30_000), "—", "000.00.71.H71")]);
        var portal = _api.Portal("pk_test_idem_71");
        var body = Wire.OrderBody(dossier: "IDEM-GONE-1", fee: "IDEM-GONE", agency: "000.00.71.H71");
        var first = await portal.SendAsync(Wire.CreateOrder(body, "key-idem-gone"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        _api.Db(db => { db.Fees.Remove(db.Fees.Single(f => f.Code == "IDEM-GONE")); return db.SaveChanges(); });

        var fresh = await portal.SendAsync(Wire.CreateOrder(body, "key-idem-gone-2"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, fresh.StatusCode); // the same request under a new key is refused now
        Assert.Equal("unknown_fee", (await fresh.Json()).GetProperty("code").GetString());

        var retry = await portal.SendAsync(Wire.CreateOrder(body, "key-idem-gone"));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());

        var changed = await portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IDEM-GONE-1", fee: "IDEM-GONE", quantity: 2,
            agency: "000.00.71.H71"), "key-idem-gone"));
        Assert.Equal("idempotency_key_reused", (await changed.Json()).GetProperty("code").GetString());
        Assert.Equal(1, OrdersFor("IDEM-GONE-1"));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(0, true)]
    public async Task A_create_looks_its_key_up_first_only_when_it_runs_again_or_outside_the_pipeline(int run, bool replayed)
    {
        // The contract the pipeline relies on (ADR-0033): on a command's first run the handler does not read the key, and the
        // record's insert is what finds it taken; on a second run (or with no pipeline) it reads it first and replays.
        var body = Wire.OrderBody(dossier: $"IDEM-RUN-{run}");
        Assert.Equal(HttpStatusCode.Created, (await _portal.SendAsync(Wire.CreateOrder(body, $"key-idem-run-{run}"))).StatusCode);
        var parsed = System.Text.Json.JsonSerializer.Deserialize<Features.PaymentOrders.Create.CreatePaymentOrderBody>(
            System.Text.Json.JsonSerializer.Serialize(body, Wire.JsonOptions), Wire.JsonOptions)!;
        var clientId = _api.Db(db => db.Orders.Single(o => o.DossierCode == $"IDEM-RUN-{run}").ClientId);

        await using var scope = _api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        db.CommandRun = run;
        try
        {
            var handler = ActivatorUtilities.CreateInstance<Features.PaymentOrders.Create.CreatePaymentOrderHandler>(scope.ServiceProvider);
            var result = await handler.Handle(new(new(clientId, ApiFactory.Agency), $"key-idem-run-{run}", parsed), default);

            Assert.True(result.IsSuccess);
            Assert.Equal(replayed, result.Value.Replayed);
        }
        finally
        {
            // The pooled context goes back as the pipeline leaves it: outside a command, nothing pending.
            db.CommandRun = 0;
            db.RolledBack();
        }
    }

    [Fact]
    public void A_request_fingerprint_is_computed_as_it_always_was()
    {
        // Fingerprints stored before an upgrade must match the same request after it: the JSON they hash keeps escaping
        // non-ASCII letters (\uXXXX), whatever the responses do. Pinned bytes, not the code's own serialisation.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes("{\"operation\":\"create-order\",\"request\":{\"fullName\":\"L\\u00EA V\\u0103n \\u0110\\u1EE9c\"}}")));
        Assert.Equal(expected, Payments.Api.Infrastructure.Persistence.IdempotencyStore.Hash("create-order", new { fullName = "Lê Văn Đức" }));
    }

    [Fact]
    public async Task Same_key_with_a_changed_body_is_422_and_creates_nothing()
    {
        await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IDEM-2"), "key-idem-2"));
        var changed = await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IDEM-2", quantity: 2), "key-idem-2"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Equal("idempotency_key_reused", (await changed.Json()).GetProperty("code").GetString());
        Assert.Equal(1, OrdersFor("IDEM-2"));
    }

    [Fact]
    public async Task Sixty_four_concurrent_creates_with_one_key_make_one_order()
    {
        var body = Wire.OrderBody(dossier: "IDEM-RACE");
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, 64).Select(async _ =>
        {
            await start.WaitAsync();
            return await _portal.SendAsync(Wire.CreateOrder(body, "key-idem-race"));
        }).ToList();
        start.Release(64);
        var responses = await Task.WhenAll(tasks);

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"got {(int)r.StatusCode}"));
        var ids = new HashSet<string>();
        foreach (var r in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
            ids.Add((await r.Json()).GetProperty("id").GetString()!);
        Assert.Single(ids);
        Assert.Equal(1, OrdersFor("IDEM-RACE"));
    }

    [Fact]
    public async Task The_key_is_required_and_bounded()
    {
        var missing = await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IDEM-3"), null));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("idempotency_key_required", (await missing.Json()).GetProperty("code").GetString());

        var tooLong = await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IDEM-3"), new string('k', 256)));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(0, OrdersFor("IDEM-3"));
    }

    [Fact]
    public async Task Keys_belong_to_their_client()
    {
        _api.AddOtherAgencyClient();
        await _portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IDEM-4"), "shared-key"));
        var other = await _api.Portal(ApiFactory.OtherAgencyKey)
            .SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: "IDEM-4", agency: "000.00.99.H99"), "shared-key"));
        // Not a replay of someone else's order: the other client's own request is judged on its own (wrong fees here).
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("fee_not_for_agency", (await other.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public void The_store_itself_refuses_a_second_record_for_the_same_client_and_key()
    {
        var clientId = _api.Db(db => db.ApiClients.First().Id);
        IdempotencyRecord Record() => new() { ClientId = clientId, Key = "dup", RequestHash = "h", StatusCode = 201, ResponseJson = "{}" };
        _api.Db(db => { db.IdempotencyRecords.Add(Record()); return db.SaveChanges(); });
        Assert.Throws<DbUpdateException>(() => _api.Db(db => { db.IdempotencyRecords.Add(Record()); return db.SaveChanges(); }));
    }
}
