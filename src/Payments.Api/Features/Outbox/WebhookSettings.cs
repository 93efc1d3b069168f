using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Features.Outbox;

public sealed record WebhookBody(string? Url);

public sealed record WebhookView(string? Url, string? Secret);

/// <summary>
/// A portal's webhook endpoint and secret. Set by the portal itself (<c>PUT /api/v1/webhook</c>) or by an admin; each
/// time a new secret is generated and shown once. URLs must be https (plain http only where
/// <c>Payments:Webhooks:AllowHttp</c> is set: development and tests).
/// </summary>
public static class WebhookSettings
{
    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public static string? Invalid(string? url, IConfiguration config) =>
        !Uri.TryCreate(url, UriKind.Absolute, out var uri) || url!.Length > 500 ? "Give the absolute URL of your endpoint (at most 500 characters)."
        : uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && config.GetValue<bool>("Payments:Webhooks:AllowHttp")) ? null
        : "Webhook URLs must use https.";

    public static void Map(IEndpointRouteBuilder app)
    {
        var portal = app.MapGroup("/api/v1").RequireAuthorization(PaymentsApiSetup.PortalPolicy).WithTags("Portal API");
        portal.MapPut("/webhook", async (WebhookBody body, HttpContext http, PaymentsDbContext db, IWriteGate gate, IConfiguration config, TimeProvider clock,
            CancellationToken ct) =>
        {
            if (Invalid(body.Url, config) is { } problem) return Problems.Of(400, "invalid_webhook_url", problem);
            var caller = CallingClient.From(http.User);
            using var _ = await gate.EnterAsync(ct);
            var client = await db.ApiClients.SingleAsync(c => c.Id == caller.Id, ct);
            (client.WebhookUrl, client.WebhookSecret) = (body.Url, NewSecret());
            db.Audit.Add(new AuditEntry
            {
                At = clock.GetUtcNow(), Actor = caller.Actor, Action = "webhook.set", EntityType = "api-client", EntityId = client.Id.ToString(),
                AgencyCode = client.AgencyCode, AfterJson = System.Text.Json.JsonSerializer.Serialize(new { url = body.Url }),
            });
            await db.SaveChangesAsync(ct);
            return Results.Ok(new WebhookView(client.WebhookUrl, client.WebhookSecret));
        }).WithName("SetWebhook").ProducesProblem(400);
        portal.MapGet("/webhook", async (HttpContext http, PaymentsDbContext db, CancellationToken ct) =>
        {
            var id = CallingClient.From(http.User).Id;
            var url = await db.ApiClients.Where(c => c.Id == id).Select(c => c.WebhookUrl).SingleAsync(ct);
            return Results.Ok(new WebhookView(url, null)); // the secret is shown only when it is made
        }).WithName("GetWebhook");
    }
}
