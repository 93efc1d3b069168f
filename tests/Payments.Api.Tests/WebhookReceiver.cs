using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Payments.Api.Tests;

/// <summary>A portal's webhook endpoint on 127.0.0.1: records what arrives and answers with the status the test sets.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Body, string Signature, string EventId, string EventType, DateTimeOffset At);

    private readonly WebApplication _app;
    public ConcurrentQueue<Received> Requests { get; } = new();
    /// <summary>The status to answer with next (200 by default).</summary>
    public int Status { get; set; } = 200;
    /// <summary>How many requests are being handled right now, and the most ever at once.</summary>
    public int InFlight, MaxInFlight;
    public TimeSpan Delay { get; set; }
    /// <summary>Times an event arrived while the same event was still being received (it must stay 0).</summary>
    public int Overlaps;
    private readonly ConcurrentDictionary<string, int> _inFlightByEvent = new();
    public string Url { get; }

    private WebhookReceiver(WebApplication app) { _app = app; Url = app.Urls.First() + "/hooks/payments"; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/hooks/payments", async (HttpRequest r) =>
        {
            var now = Interlocked.Increment(ref receiver!.InFlight);
            lock (receiver) receiver.MaxInFlight = Math.Max(receiver.MaxInFlight, now);
            var eventId = r.Headers["Payments-Event-Id"].ToString();
            if (receiver._inFlightByEvent.AddOrUpdate(eventId, 1, (_, n) => n + 1) > 1) Interlocked.Increment(ref receiver.Overlaps);
            try
            {
                using var reader = new StreamReader(r.Body);
                var body = await reader.ReadToEndAsync();
                if (receiver.Delay > TimeSpan.Zero) await Task.Delay(receiver.Delay);
                receiver.Requests.Enqueue(new Received(body, r.Headers["Payments-Signature"].ToString(), r.Headers["Payments-Event-Id"].ToString(),
                    r.Headers["Payments-Event-Type"].ToString(), DateTimeOffset.UtcNow));
                return Results.StatusCode(receiver.Status);
            }
            finally
            {
                Interlocked.Decrement(ref receiver.InFlight);
                receiver._inFlightByEvent.AddOrUpdate(eventId, 0, (_, n) => n - 1);
            }
        });
        await app.StartAsync();
        receiver = new WebhookReceiver(app);
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
