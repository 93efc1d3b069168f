using Payments.Api.Infrastructure.Pipeline;
using Mediator;
using Payments.Api.Features.PaymentOrders;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Orders;
using Payments.Providers.Contract;
using Payments.Providers.VietQr;

namespace Payments.Api.Features.Attempts;

public sealed record StartPaymentAttempt(OrderLocator Locator, string? Provider, string PayerIp, string Locale)
    : ICommand<Result<AttemptView>>;

public sealed record AttemptView(Guid Id, string Provider, string ProviderReference, string Status, string? RedirectUrl,
    string? ClientSecret, string? PaymentCode, QrView? Qr, DateTimeOffset ExpiresAt);

/// <summary>A VietQR attempt: the payload and where its images are; bank details to type the transfer by hand.</summary>
public sealed record QrView(string Payload, string PngUrl, string SvgUrl, string Bank, string AccountNumber, string AccountName, long Amount);

/// <summary>
/// Records the attempt (the intent) and asks the provider how the payer continues, in one transaction: a crash
/// leaves either nothing or a pending attempt the provider can be asked about.
/// </summary>
public sealed class StartPaymentAttemptHandler(PaymentsDbContext db, ProviderRegistry providers, PublicUrls urls, TimeProvider clock)
    : ICommandHandler<StartPaymentAttempt, Result<AttemptView>>
{
    public async ValueTask<Result<AttemptView>> Handle(StartPaymentAttempt cmd, CancellationToken ct)
    {
        var lookup = providers.Find(cmd.Provider);
        if (lookup.Provider is not { } provider)
            return lookup.Failure == ProviderLookupFailure.Disabled
                ? Error.Unprocessable("provider_disabled", $"Provider '{cmd.Provider}' is not enabled here.")
                : Error.Unprocessable("unknown_provider", $"Unknown provider '{cmd.Provider}'. Enabled: {string.Join(", ", providers.EnabledCodes)}.");

        var order = await db.LocateAsync(cmd.Locator, ct);
        if (order is null) return OrderQueries.OrderNotFound;
        if (!OrderTransitions.IsOpen(order.Status))
            return Error.Conflict("order_not_payable", $"The order is {order.Status.ToSnakeCase()}; nothing to pay.");

        var now = clock.GetUtcNow();
        if (provider is VietQrProvider qr)
            return await StartVietQrAsync(qr, order, now);

        var reference = "PAY" + now.ToVietnam().ToString("yyMMdd") + Tokens.NewCode(10);
        var attempt = order.StartAttempt(provider.Code, reference, now);
        if (!attempt.IsSuccess) return attempt.Error!;

        var expires = attempt.Value.ExpiresAt;
        AttemptStart start;
        try
        {
            start = await provider.StartAttemptAsync(new AttemptRequest(reference, order.Amount,
                $"Thanh toan phi le phi ho so {order.DossierCode}", urls.PayPage(order.PayToken), cmd.PayerIp, cmd.Locale, now, expires), ct);
        }
        catch (Exception ex) when (ProviderFaults.IsTransient(ex, ct))
        {
            return Error.Unavailable("provider_unavailable", $"{provider.Code} could not be reached; try again or choose another way to pay.");
        }
        if (start.ProviderIntentId is { } intent) attempt.Value.RecordIntent(intent);

        // A simulator's page is a path on this service: make it absolute for the payer's browser.
        var redirect = start.RedirectUrl is { } r && r.StartsWith('/') ? urls.BaseUrl + r : start.RedirectUrl;
        return new AttemptView(attempt.Value.Id.Value, provider.Code, reference, "pending", redirect, start.ClientSecret, null, null,
            expires.ToVietnam());
    }

    /// <summary>
    /// A bank transfer can arrive any time before the order expires, and the citizen may reopen the page: one
    /// payment code per order, so an undecided VietQR attempt is shown again rather than replaced.
    /// </summary>
    private async Task<Result<AttemptView>> StartVietQrAsync(VietQrProvider qr, PaymentOrder order, DateTimeOffset now)
    {
        var attempt = order.Attempts.FirstOrDefault(a => a.Provider == qr.Code && a.IsUndecided);
        if (attempt is null)
        {
            var started = order.StartAttempt(qr.Code, VietQrProvider.NewPaymentCode(Tokens.NewCode), now, order.ExpiresAt - now);
            if (!started.IsSuccess) return started.Error!;
            attempt = started.Value;
        }
        var start = await qr.StartAttemptAsync(new AttemptRequest(attempt.ProviderReference, order.Amount, attempt.ProviderReference,
            urls.PayPage(order.PayToken), "", "vn", now, attempt.ExpiresAt), default);
        var images = urls.PayPage(order.PayToken) + "/vietqr";
        return new AttemptView(attempt.Id.Value, qr.Code, attempt.ProviderReference, "pending", null, null, attempt.ProviderReference,
            new QrView(start.QrPayload!, images + ".png", images + ".svg", qr.BankName, qr.AccountNumber, qr.AccountName, order.Amount.Minor),
            attempt.ExpiresAt.ToVietnam());
    }
}

public sealed record StartAttemptBody(string? Provider, string? Locale);

internal static class StartPaymentAttemptEndpoint
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/payment-orders/{id:guid}/attempts", async (Guid id, StartAttemptBody body, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var locator = OrderLocator.ForClient(id, CallingClient.From(http.User).AgencyCode);
                var result = await sender.Send(new StartPaymentAttempt(locator, body.Provider, PayerIp(http), body.Locale == "en" ? "en" : "vn"), ct);
                return result.Map(a => Results.Created($"/api/v1/payment-orders/{id}/attempts/{a.Id}", a));
            })
            .WithName("StartPaymentAttempt").Produces<AttemptView>(201).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

    public static string PayerIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
}
