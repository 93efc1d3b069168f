using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Payments.Api.Infrastructure.Telemetry;

namespace Payments.Api.Tests;

/// <summary>Metrics that count committed facts only, readiness, and logs that carry no secrets or full ID numbers.</summary>
public class TelemetryTests
{
    private sealed class CapturingLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        private sealed class Logger(CapturingLogs owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }

    [Fact]
    public async Task Orders_created_and_paid_and_callbacks_are_measured_once_each()
    {
        using var api = new ApiFactory();
        var meters = api.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var created = new MetricCollector<long>(meters, PaymentsMetrics.MeterName, "payments.orders.created");
        using var paid = new MetricCollector<long>(meters, PaymentsMetrics.MeterName, "payments.orders.paid");
        using var callbacks = new MetricCollector<double>(meters, PaymentsMetrics.MeterName, "payments.callback.duration");
        var portal = api.Portal();

        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "MET-1"), key: "met-1");
        await portal.CreateOrderAsync(Wire.OrderBody(dossier: "MET-1"), key: "met-1"); // a replay is not a new order
        var attempt = await portal.StartAttemptAsync(order.GetProperty("id").GetString()!);
        var ipn = Wire.Ipn(attempt.GetProperty("providerReference").GetString()!, 13_500_000, "77700001");
        Assert.Equal("00", await api.Anonymous().SendIpnAsync(ipn));
        Assert.Equal("02", await api.Anonymous().SendIpnAsync(ipn)); // the repeat pays nothing

        Assert.Equal(1, created.GetMeasurementSnapshot().Sum(m => m.Value));
        var paidOnce = Assert.Single(paid.GetMeasurementSnapshot());
        Assert.Equal("sandbox", paidOnce.Tags["provider"]);
        Assert.Equal(2, callbacks.GetMeasurementSnapshot().Count);
        Assert.All(callbacks.GetMeasurementSnapshot(), m => Assert.True(m.Value > 0));
    }

    [Fact]
    public async Task Callback_spans_are_recorded_only_when_traces_are_exported()
    {
        // Without a collector nothing listens to the service's spans, so none is started (they cost CPU on every request).
        using (var api = new ApiFactory())
        {
            api.CreateClient();
            Assert.Null(api.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
            Assert.False(Payments.Api.Infrastructure.Telemetry.PaymentsMetrics.Traces.HasListeners());
        }
        // With one, the service's own source is traced (the collector need not be up for spans to be started).
        using var traced = new ApiFactory().With("Payments:Telemetry:OtlpEndpoint", "http://127.0.0.1:9");
        traced.CreateClient();
        Assert.NotNull(traced.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.True(Payments.Api.Infrastructure.Telemetry.PaymentsMetrics.Traces.HasListeners());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Readiness_checks_the_store()
    {
        using var api = new ApiFactory();
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync("/health/ready")).StatusCode);
        using var broken = new ApiFactory().With("ConnectionStrings:Payments", ApiFactory.OnPostgres
            ? "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=2" : "Data Source=/proc/no-such-dir/payments.db");
        Assert.ThrowsAny<Exception>(() => broken.CreateClient()); // cannot even migrate: the service does not start half-ready
    }

    [Fact]
    public async Task Logs_carry_no_secrets_keys_passwords_or_full_id_numbers()
    {
        var logs = new CapturingLogs();
        using var api = new ApiFactory().WithServices(s => s.AddSingleton<ILoggerProvider>(logs));
        await using var receiver = await WebhookReceiver.StartAsync();
        var portal = api.Portal();
        await portal.PutAsJsonAsync("/api/v1/webhook", new { url = receiver.Url });
        await portal.PayAsync("LOG-1");
        Assert.NotEqual("00", await api.Anonymous().SendIpnAsync(Wire.Ipn("TTNOSUCHREF", 100, "1", secret: "forged-secret-0123456789")));
        await api.DeliverAsync();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("bankTxnId,bookedAt,amount,content,account\nL1,2026-11-24T08:00:00+07:00,1000,x,1\n")), "file", "s.csv" } };
        await portal.PostAsync("/api/v1/reconciliation/statements", form);
        var staff = api.CreateClient();
        await StaffPages.SignInAsync(staff, "thu.ngan@demo.gov.vn", "wrong-password-for-the-log");

        var all = string.Join("\n", logs.Lines);
        Assert.NotEmpty(logs.Lines);
        foreach (var secret in new[] { ApiFactory.Secret, ApiFactory.VnptSecret, ApiFactory.NotifySecret, ApiFactory.ApiKey, ApiFactory.StaffPassword,
                     "wrong-password-for-the-log", "001088012345", "test-only" })
            Assert.DoesNotContain(secret, all);
    }
}
