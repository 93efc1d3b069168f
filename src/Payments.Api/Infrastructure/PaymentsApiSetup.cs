using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Payments.Api.Features.Receipts;
using Payments.Api.Features.Sandbox;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Telemetry;
using Payments.Api.Infrastructure.Demo;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Api.Infrastructure.Pipeline;
using Payments.Providers;
using Payments.Providers.Wallet;
using FluentValidation;

namespace Payments.Api.Infrastructure;

/// <summary>All of the service's wiring, so Program.cs reads as a table of contents.</summary>
public static class PaymentsApiSetup
{
    public const string PortalPolicy = "portal";
    public const string FinancePolicy = "finance";

    public static IServiceCollection AddPaymentsApi(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddPaymentsTelemetry(config);
        services.AddScoped<PublicUrls>();
        services.AddPaymentsRateLimits();
        services.AddPaymentsStore();
        services.AddScoped<ReceiptIssuer>();
        services.AddSingleton<IReceiptIssuerPort>(sp => new CertificateReceiptSigner(
            ReceiptCertificates.Load(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Receipts"))));
        services.AddSingleton<ReceiptSealer>();
        services.AddSingleton<Features.Receipts.Pdf.ReceiptFonts>();
        services.AddSingleton<Features.Receipts.Pdf.ReceiptPdfRenderer>();
        services.AddScoped<IdempotencyStore>();
        services.AddScoped<Features.Callbacks.UnmatchedCredits>();
        services.AddScoped<Features.Janitor.Janitor>();
        services.AddScoped<Features.Reconciliation.StatementReconciler>();
        services.AddSingleton<Features.Reconciliation.StatementJobs>();
        services.AddScoped<Features.Reports.LedgerReports>();
        services.AddSingleton<Features.Counter.CloseReportPdf>();
        services.AddHostedService<Features.Janitor.JanitorService>();
        services.AddScoped<Features.Outbox.OutboxDispatcher>();
        services.AddSingleton<Features.Outbox.ICitizenNotifier, Features.Outbox.LogNotifier>();
        services.AddHostedService<Features.Outbox.OutboxService>();
        // Our own backoff retries deliveries; the client only bounds each attempt.
        services.AddHttpClient(Features.Outbox.OutboxDispatcher.WebhooksClient, c =>
        {
            c.Timeout = TimeSpan.FromSeconds(10);
            c.DefaultRequestHeaders.UserAgent.ParseAdd("Payments-Webhooks/1.0");
        });

        services.AddMediator((Mediator.MediatorOptions o) =>
        {
            o.ServiceLifetime = ServiceLifetime.Scoped;
            o.PipelineBehaviors = [typeof(ValidationBehavior<,>), typeof(TransactionBehavior<,>)];
        });
        services.AddValidatorsFromAssemblyContaining<PublicUrls>(ServiceLifetime.Singleton);

        services.AddPaymentProviders(config);

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, "portal"))
            .AddPolicy(FinancePolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, "finance"));

        services.AddStaff();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
            ctx.ProblemDetails.Extensions.TryAdd("code", ctx.ProblemDetails.Status switch
            {
                404 => "not_found",
                405 => "method_not_allowed",
                415 => "unsupported_media_type",
                _ => "http_" + ctx.ProblemDetails.Status,
            }));
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip;
            o.SerializerOptions.Encoder = Http.Json.Encoder;
        });
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        services.AddSingleton<StorePreparation>();
        services.AddHostedService(sp => sp.GetRequiredService<StorePreparation>());
        // Its only work is reading the key ring at start, before the store is there on a first start; the preparation
        // reads it instead, once the store is migrated (PreparePaymentsAsync).
        if (services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService)
                && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService") is { } keyRingAtStart)
            services.Remove(keyRingAtStart);
        return services;
    }

    /// <summary>Migrates the store and, when Demo:Seed is on, adds the demo data.</summary>
    public static async Task PreparePaymentsAsync(this WebApplication app)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Provider configuration errors (a missing secret) stop the start-up, not the first payment.
        app.Services.GetRequiredService<Providers.Contract.ProviderRegistry>();
        app.Services.GetRequiredService<IReceiptIssuerPort>();
        var services = clock.ElapsedMilliseconds;
        await StoreSetup.MigrateAsync(app.Services);
        var migrated = clock.ElapsedMilliseconds;
        // The data-protection key ring (staff cookies, antiforgery) is kept in the store: read (or on a new store, made)
        // now, beside the seeding, rather than by its hosted service once the store is prepared, on the way to the first
        // request (~150 ms of it: docs/BENCHMARKS.md, session 16).
        var keyRing = Task.Run(() => app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()
            .CreateProtector("Payments.StartUp").Protect([]));
        // Both awaited together: a failure of either is the start-up's, and neither is left unobserved.
        await Task.WhenAll(SeedAsync(), keyRing);
        async Task SeedAsync()
        {
            if (app.Configuration.GetValue<bool>("Demo:Seed"))
                await DemoSeeder.SeedAsync(app.Services, app.Configuration, app.Logger);
            await StaffSetup.SeedStaffAsync(app.Services, app.Configuration, app.Logger);
        }
        app.Logger.LogInformation("Prepared in {Total} ms: providers and signer {Services} ms, store migrations {Migrations} ms, seeding and key ring {Seeding} ms",
            clock.ElapsedMilliseconds, services, migrated - services, clock.ElapsedMilliseconds - migrated);
    }

    public static WebApplication UsePaymentsPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Until the store is prepared (the server listens before: StorePreparation), readiness is 503 without running the
        // checks (each unhealthy result would log an error), liveness answers, and other requests wait for it.
        var preparation = app.Services.GetRequiredService<StorePreparation>();
        app.Use((context, next) => preparation.Done ? next(context)
            : context.Request.Path.StartsWithSegments("/health/ready") ? NotReadyAsync(context)
            : context.Request.Path.StartsWithSegments("/health") ? next(context)
            : WhenPreparedAsync(preparation, context, next));
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseRateLimiter();
        app.UseBodyLimits();
        app.UseUiLanguage();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }

    /// <summary>What the readiness endpoint answers for an unhealthy store, without a log line per poll.</summary>
    private static Task NotReadyAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/plain";
        context.Response.Headers.CacheControl = "no-store, no-cache";
        return context.Response.WriteAsync(nameof(HealthStatus.Unhealthy));
    }

    private static async Task WhenPreparedAsync(StorePreparation preparation, HttpContext context, RequestDelegate next)
    {
        await preparation.Completion.WaitAsync(context.RequestAborted);
        await next(context);
    }
}

internal sealed class StoreHealthCheck(PaymentsDbContext db, StorePreparation preparation) : IHealthCheck
{
    /// <summary>Ready once start-up has prepared the store (migrations only ever move forward) and while it is reachable.</summary>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!preparation.Done) return HealthCheckResult.Unhealthy("Store being prepared.");
        return await db.Database.CanConnectAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Store unreachable.");
    }
}
