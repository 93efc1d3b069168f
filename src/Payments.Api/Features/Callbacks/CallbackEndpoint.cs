using Mediator;
using Payments.Api.Infrastructure.Http;
using Payments.Domain.Common;
using Payments.Providers.Contract;

namespace Payments.Api.Features.Callbacks;

/// <summary>
/// Provider notifications (GET query or form POST). The provider verifies the signature before anything is read;
/// the answer is in the provider's own format. Unexpected errors answer the provider's "other error" so it retries.
/// </summary>
internal static class CallbackEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapMethods("/callbacks/{provider}", ["GET", "POST"], Handle)
            .WithName("ProviderCallback").WithTags("Callbacks").DisableAntiforgery()
            .RequireRateLimiting(Infrastructure.Http.RateLimits.Callbacks);

    private static async Task<IResult> Handle(string provider, HttpContext http, ProviderRegistry providers, ISender sender,
        ILoggerFactory logs, TimeProvider clock, Infrastructure.Telemetry.PaymentsMetrics metrics, CancellationToken ct)
    {
        using var span = Infrastructure.Telemetry.PaymentsMetrics.Traces.StartActivity("callback " + provider);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (providers.Find(provider).Provider is not { } adapter)
            return Problems.Of(404, "unknown_provider", $"No enabled provider '{provider}' takes callbacks here.");

        var verified = adapter.VerifyCallback(await ReadAsync(http.Request, clock.GetUtcNow(), ct));
        CallbackResult outcome;
        if (verified.Notification is not { } notification)
        {
            outcome = verified.Rejection ?? CallbackResult.InvalidSignature;
            logs.CreateLogger("Callbacks").LogWarning("Rejected {Provider} callback from {Ip}: {Outcome}", provider, http.Connection.RemoteIpAddress, outcome);
        }
        else
        {
            try
            {
                var result = await sender.Send(new ApplyProviderNotification(adapter.Code, notification), ct);
                outcome = result.IsSuccess ? result.Value : CallbackResult.Error;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logs.CreateLogger("Callbacks").LogError(ex, "Failed to apply {Provider} callback for {Reference}", provider, notification.ProviderReference);
                outcome = CallbackResult.Error;
            }
        }
        metrics.Callback(adapter.Code, outcome.ToString(), System.Diagnostics.Stopwatch.GetElapsedTime(started));
        span?.SetTag("payments.outcome", outcome.ToString());
        var answer = adapter.Answer(outcome);
        return Results.Content(answer.Body, answer.ContentType, statusCode: answer.StatusCode);
    }

    /// <summary>Largest callback body read; providers send small messages.</summary>
    private const int MaxBody = 64 * 1024;

    /// <summary>The raw body (signatures may cover its exact bytes), the query and form fields, and the headers.</summary>
    private static async Task<CallbackRequest> ReadAsync(HttpRequest request, DateTimeOffset now, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in request.Query) values[k] = v.ToString();
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBody) throw new BadHttpRequestException("Callback body too large.", StatusCodes.Status413PayloadTooLarge);
            buffer.Write(chunk, 0, read);
        }
        var body = buffer.ToArray();
        if (request.HasFormContentType)
            foreach (var (k, v) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body)))
                values[k] = v.ToString();
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new CallbackRequest(values, headers, body, now);
    }
}
