using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Orders;
using Payments.Providers.Contract;
using Payments.Providers.VietQr;

namespace Payments.Api.Features.Pay;

/// <summary>The QR of an order's open VietQR attempt, for the payment page: /pay/{token}/vietqr.png and .svg.</summary>
internal static class VietQrImageEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/pay/{token}/vietqr.png", (string token, PaymentsDbContext db, ProviderRegistry providers, CancellationToken ct) =>
            RenderAsync(token, db, providers, p => Results.File(Providers.VietQr.VietQrImages.Png(p), "image/png"), ct)).ExcludeFromDescription().RequireRateLimiting(Infrastructure.Http.RateLimits.Public);
        app.MapGet("/pay/{token}/vietqr.svg", (string token, PaymentsDbContext db, ProviderRegistry providers, CancellationToken ct) =>
            RenderAsync(token, db, providers, p => Results.Content(Providers.VietQr.VietQrImages.Svg(p), "image/svg+xml"), ct)).ExcludeFromDescription().RequireRateLimiting(Infrastructure.Http.RateLimits.Public);
    }

    /// <summary>The payload of the order's undecided VietQR attempt, or null.</summary>
    public static async Task<string?> PayloadAsync(string token, PaymentsDbContext db, ProviderRegistry providers, CancellationToken ct)
    {
        if (providers.Find(VietQrProvider.ProviderCode).Provider is not VietQrProvider qr) return null;
        var order = await db.Orders.AsNoTracking().Include(o => o.Attempts).FirstOrDefaultAsync(o => o.PayToken == token, ct);
        var attempt = order?.Attempts.FirstOrDefault(a => a.Provider == qr.Code && a.IsUndecided);
        return order is null || attempt is null || !OrderTransitions.IsOpen(order.Status) ? null : qr.PayloadFor(attempt.ProviderReference, attempt.Amount);
    }

    private static async Task<IResult> RenderAsync(string token, PaymentsDbContext db, ProviderRegistry providers, Func<string, IResult> render, CancellationToken ct) =>
        await PayloadAsync(token, db, providers, ct) is { } payload ? render(payload) : Results.NotFound();
}
