using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Features.Outbox;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Tests;

/// <summary>Signed portal webhooks from the outbox: delivery, backoff, giving up, resend, leases, citizen messages.</summary>
public class WebhookTests
{
    private sealed class CapturingNotifier : ICitizenNotifier
    {
        public ConcurrentQueue<CitizenMessage> Sent { get; } = new();
        public Task NotifyAsync(CitizenMessage message, CancellationToken ct) { Sent.Enqueue(message); return Task.CompletedTask; }
    }

    private static async Task<string> RegisterAsync(ApiFactory api, WebhookReceiver receiver)
    {
        var res = await api.Portal().PutAsJsonAsync("/api/v1/webhook", new { url = receiver.Url });
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var secret = (await res.Json()).GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        return secret;
    }

    [Fact]
    public async Task The_portal_receives_vietnamese_as_utf8_under_a_signature_of_those_bytes()
    {
        using var api = new ApiFactory();
        await using var receiver = await WebhookReceiver.StartAsync();
        var secret = await RegisterAsync(api, receiver);
        await api.Portal().PayAsync("HỒ-SƠ-ĐẤT-1");
        await api.DeliverAsync();
        var got = receiver.Requests.Single();
        Assert.Contains("\"HỒ-SƠ-ĐẤT-1\"", got.Body);
        Assert.True(WebhookSignature.Verify(secret, got.Signature, got.Body, api.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_paid_order_reaches_the_portal_once_signed_and_the_citizen_is_told_in_vietnamese()
    {
        var notifier = new CapturingNotifier();
        using var api = new ApiFactory().WithServices(s => s.AddSingleton<ICitizenNotifier>(notifier));
        await using var receiver = await WebhookReceiver.StartAsync();
        var secret = await RegisterAsync(api, receiver);
        var orderId = await api.Portal().PayAsync("HOOK-1");

        var report = await api.DeliverAsync();
        Assert.Equal((1, 1), (report.Delivered, receiver.Requests.Count));
        var got = receiver.Requests.Single();
        Assert.True(WebhookSignature.Verify(secret, got.Signature, got.Body, api.Clock.GetUtcNow()), "the signature verifies with the portal's secret");
        Assert.False(WebhookSignature.Verify(secret, got.Signature, got.Body.Replace("HOOK-1", "HOOK-9"), api.Clock.GetUtcNow()), "a changed body does not");
        Assert.False(WebhookSignature.Verify(secret, got.Signature, got.Body, api.Clock.GetUtcNow().AddSeconds(301)), "nor an old timestamp");
        using var body = JsonDocument.Parse(got.Body);
        Assert.Equal(got.EventId, body.RootElement.GetProperty("id").GetString());
        Assert.Equal(("payment_order.paid", orderId, "paid"), (got.EventType, body.RootElement.GetProperty("orderId").GetString(), body.RootElement.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("receipt").ValueKind);

        await api.DeliverAsync();
        Assert.Single(receiver.Requests); // delivered once, not again
        var delivery = api.Db(db => db.WebhookDeliveries.Single());
        Assert.Equal((DeliveryStatus.Delivered, 1), (delivery.Status, delivery.Attempts));
        Assert.Equal(200, api.Db(db => db.WebhookAttempts.Single().StatusCode));

        var message = Assert.Single(notifier.Sent);
        Assert.Equal("0912345678", message.Phone);
        Assert.Contains("Đã nhận 135.000 ₫ phí, lệ phí cho hồ sơ HOOK-1", message.Text);
        Assert.Equal("*******678", LogNotifier.Mask(message.Phone));
    }

    [Fact]
    public async Task Failures_back_off_exponentially_give_up_after_three_days_and_an_admin_can_resend()
    {
        using var api = new ApiFactory();
        await using var receiver = await WebhookReceiver.StartAsync();
        await RegisterAsync(api, receiver);
        receiver.Status = 503;
        await api.Portal().PayAsync("HOOK-RETRY");

        await api.DeliverAsync();
        var first = api.Db(db => db.WebhookDeliveries.Single());
        Assert.Equal((DeliveryStatus.Pending, 1, 503), (first.Status, first.Attempts, first.LastStatusCode));
        Assert.Equal(TimeSpan.FromSeconds(30), first.NextAttemptAt - api.Db(db => db.WebhookAttempts.Single().At));
        await api.DeliverAsync();
        Assert.Single(receiver.Requests); // not due yet

        api.Clock.Advance(TimeSpan.FromSeconds(31));
        await api.DeliverAsync();
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(60), OutboxDispatcher.Backoff(2));
        Assert.Equal(TimeSpan.FromHours(6), OutboxDispatcher.Backoff(30));

        // Three days of failures: it stops.
        for (var i = 0; i < 40 && api.Db(db => db.WebhookDeliveries.Single().Status) == DeliveryStatus.Pending; i++)
        {
            api.Clock.Advance(TimeSpan.FromHours(6));
            await api.DeliverAsync();
        }
        var gaveUp = api.Db(db => db.WebhookDeliveries.Single());
        Assert.Equal(DeliveryStatus.GaveUp, gaveUp.Status);
        Assert.True(gaveUp.Attempts is > 10 and < 30, $"{gaveUp.Attempts} attempts over three days");
        Assert.Equal(gaveUp.Attempts, api.Db(db => db.WebhookAttempts.Count()));

        // The portal is back; an admin resends from the delivery log.
        receiver.Status = 200;
        var admin = api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await StaffPages.SignInAsync(admin, "quan.tri@demo.gov.vn");
        var page = await (await admin.GetAsync("/staff/admin/webhooks")).Content.ReadAsStringAsync();
        Assert.Contains("Ngừng gửi sau 3 ngày", page);
        Assert.Contains("Đã đưa lại vào hàng đợi gửi", await StaffPages.PostFormAsync(admin, "/staff/admin/webhooks", "Resend", KeyValuePair.Create("Id", gaveUp.Id.ToString())));
        await api.DeliverAsync();
        Assert.Equal(DeliveryStatus.Delivered, api.Db(db => db.WebhookDeliveries.Single().Status));
        Assert.Equal(1, api.Db(db => db.Audit.Count(a => a.Action == "webhook.resend")));
    }

    [Fact]
    public async Task Concurrent_workers_send_each_event_once()
    {
        using var api = new ApiFactory();
        await using var receiver = await WebhookReceiver.StartAsync();
        await RegisterAsync(api, receiver);
        receiver.Delay = TimeSpan.FromMilliseconds(50);
        for (var i = 0; i < 12; i++) await api.Portal().PayAsync($"HOOK-C{i}");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(api.DeliverAsync)));
        await api.DeliverAsync(); // anything a busy worker left
        Assert.Equal(12, receiver.Requests.Count);
        Assert.Equal(12, receiver.Requests.Select(r => r.EventId).Distinct().Count());
        Assert.Equal(12, api.Db(db => db.WebhookDeliveries.Count(d => d.Status == DeliveryStatus.Delivered && d.Attempts == 1)));
    }

    [Fact]
    public async Task Webhook_urls_are_checked()
    {
        using var api = new ApiFactory().With("Payments:Webhooks:AllowHttp", "false");
        foreach (var url in new[] { "not a url", "ftp://portal.example.gov.vn/hook", "http://portal.example.gov.vn/hook" })
        {
            var res = await api.Portal().PutAsJsonAsync("/api/v1/webhook", new { url });
            Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
            Assert.Equal("invalid_webhook_url", (await res.Json()).GetProperty("code").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await api.Portal().PutAsJsonAsync("/api/v1/webhook", new { url = "https://portal.example.gov.vn/hook" })).StatusCode);
        Assert.Equal("https://portal.example.gov.vn/hook", (await (await api.Portal().GetAsync("/api/v1/webhook")).Json()).GetProperty("url").GetString());
    }
}
