using Mediator;
using Payments.Api.Features.Attempts;
using Payments.Api.Features.PaymentOrders;
using Payments.Api.Features.PaymentOrders.Get;
using Payments.Domain.Common;
using Payments.Domain.Orders;
using Payments.Providers.Contract;
using static Payments.Api.Infrastructure.Http.HtmlPage;

namespace Payments.Api.Features.Pay;

/// <summary>
/// The citizen's payment page, reached only through the order's unguessable token. Showing it (also as the
/// provider's return URL) never changes anything: only verified callbacks mark an order paid.
/// </summary>
internal static class PayPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/pay/{token}").ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting(Infrastructure.Http.RateLimits.Public);
        group.MapGet("", ShowAsync);
        group.MapPost("/attempts", StartAsync);
    }

    private static async Task<IResult> ShowAsync(string token, HttpContext http, ISender sender, ProviderRegistry providers,
        Infrastructure.Persistence.PaymentsDbContext db, IConfiguration config, TimeProvider clock, CancellationToken ct)
    {
        var t = PayText.For(http);
        var result = await sender.Send(new GetPaymentOrder(OrderLocator.ForCitizen(token)), ct);
        if (!result.IsSuccess) return Render(t["notFound"], $"<h1>{E(t["notFound"])}</h1><p>{E(t["notFoundText"])}</p>", 404);
        var o = result.Value;
        var minutesLeft = Math.Max(0, (int)Math.Ceiling((o.ExpiresAt - clock.GetUtcNow()).TotalMinutes));
        var rows = string.Concat(o.Lines.Select(l =>
            $"<tr><td>{E(l.Name)}<br><span class=\"muted\">{E(l.LegalBasis)}</span></td><td class=\"n\">{l.Quantity}</td>" +
            $"<td class=\"n\">{E(Show(l.GrossAmount))}</td><td class=\"n\">{E(l.Discount.Value == 0 ? "" : "−" + Show(l.Discount))}</td>" +
            $"<td class=\"n\">{E(Show(l.Amount))}</td></tr>"));
        var label = t.Status(o.Status);
        var css = o.Status switch { "paid" or "partially_refunded" => "paid", "refunded" or "cancelled" or "expired" => "bad", _ => "" };
        var action = o.Status switch
        {
            // The citizen page offers what works in a plain browser with no script from elsewhere: redirects and QR.
            "created" or "awaiting_payment" => string.Concat(providers.EnabledCodes.Order()
                .Where(code => providers.Find(code).Provider!.Capabilities.HasFlag(ProviderCapabilities.Redirect)
                               || providers.Find(code).Provider!.Capabilities.HasFlag(ProviderCapabilities.Qr)).Select(code =>
                $"<form method=\"post\" action=\"/pay/{E(token)}/attempts\"><input type=\"hidden\" name=\"provider\" value=\"{E(code)}\">" +
                $"<button>{E(t["payWith"])} {E(t.Provider(code))}</button></form>")) +
                $"<p class=\"muted\">{E(t["deadline"])}: {o.ExpiresAt:HH:mm dd/MM/yyyy} ({E(t["vnTime"])}) — {E(string.Format(t["minutesLeft"], minutesLeft))}</p>",
            "paid" when o.Receipt is { } r => $"<p>{E(string.Format(t["receipt"], r.Series, r.Number.ToString("0000000")))} — <a href=\"/pay/{E(token)}/receipt.pdf\">{E(t["download"])}</a></p>",
            "paid" => $"<p>{E(t["exempt"])}</p>",
            "expired" => $"<p>{E(t["expired"])}</p>",
            "cancelled" => $"<p>{E(t["cancelled"])}</p>",
            _ => "",
        };
        if (o.Status is "created" or "awaiting_payment" && await VietQrImageEndpoints.PayloadAsync(token, db, providers, ct) is not null
            && providers.Find(Providers.VietQr.VietQrProvider.ProviderCode).Provider is Providers.VietQr.VietQrProvider qr)
        {
            var code = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
                db.Attempts.Where(a => a.Provider == qr.Code && a.OrderId == new PaymentOrderId(o.Id)).OrderByDescending(a => a.CreatedAt)
                    .Select(a => a.ProviderReference), ct);
            action = $"""
                <h2>{E(t["qrTitle"])}</h2>
                <img src="/pay/{E(token)}/vietqr.svg" alt="Mã VietQR" width="256" height="256">
                <p>{E(t["bank"])}: <b>{E(qr.BankName)}</b><br>{E(t["account"])}: <b>{E(qr.AccountNumber)}</b><br>{E(t["accountName"])}: {E(qr.AccountName)}<br>
                {E(t["amount"])}: <b>{E(Show(o.Amount))}</b><br>{E(t["content"])}: <b>{E(code)}</b></p>
                <p class="muted">{E(t["typeExactly"])}</p>
                """ + (config.GetValue<bool>("Payments:Providers:vietqr:Simulator")
                    ? $"""<p><a href="/sandbox/bank?code={E(code)}&amount={o.Amount.Value}">Mô phỏng chuyển khoản (sandbox)</a></p>""" : "") + action;
        }
        var body = $"""
            <p style="text-align:right"><a href="?lang={(t.English ? "vi" : "en")}">{E(t["switch"])}</a></p>
            <h1>{E(t["title"])}</h1>
            <p>{E(t["dossier"])}: <b>{E(o.DossierCode)}</b><br>{E(t["procedure"])}: {E(o.ProcedureCode)}</p>
            <p>{E(t["status"])}: <span class="status {css}">{E(label)}</span></p>
            <table><tr><th>{E(t["item"])}</th><th class="n">{E(t["qty"])}</th><th class="n">{E(t["amount"])}</th><th class="n">{E(t["discount"])}</th><th class="n">{E(t["due"])}</th></tr>{rows}
            <tr><td colspan="4" class="total">{E(t["total"])}</td><td class="n total">{E(Show(o.Amount))}</td></tr></table>
            {action}
            """;
        return Render(t["title"] + " — " + o.DossierCode, body, refreshSeconds: o.Status == "awaiting_payment" ? 5 : null, lang: t.English ? "en" : "vi");
    }

    private static async Task<IResult> StartAsync(string token, HttpContext http, ISender sender, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var result = await sender.Send(new StartPaymentAttempt(OrderLocator.ForCitizen(token), form["provider"].ToString(),
            StartPaymentAttemptEndpoint.PayerIp(http), PayText.For(http).Locale), ct);
        if (!result.IsSuccess)
            return Render("Không thể thanh toán", $"<h1>Không thể thanh toán</h1><p>{E(result.Error!.Message)}</p><p><a href=\"/pay/{E(token)}\">Quay lại</a></p>",
                result.Error!.Kind == ErrorKind.NotFound ? 404 : 409);
        return result.Value.RedirectUrl is { } url ? Results.Redirect(url) : Results.Redirect($"/pay/{Uri.EscapeDataString(token)}");
    }

    private static string Show(AmountView a) => new Money(a.Value, Currency.Parse(a.Currency)).ToDisplayString();


}
