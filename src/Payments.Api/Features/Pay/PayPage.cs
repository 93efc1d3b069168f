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
        var group = app.MapGroup("/pay/{token}").ExcludeFromDescription().DisableAntiforgery();
        group.MapGet("", ShowAsync);
        group.MapPost("/attempts", StartAsync);
    }

    private static async Task<IResult> ShowAsync(string token, ISender sender, ProviderRegistry providers,
        Infrastructure.Persistence.PaymentsDbContext db, IConfiguration config, CancellationToken ct)
    {
        var result = await sender.Send(new GetPaymentOrder(OrderLocator.ForCitizen(token)), ct);
        if (!result.IsSuccess) return Render("Không tìm thấy", "<h1>Không tìm thấy yêu cầu thanh toán</h1><p>Đường dẫn không đúng hoặc đã hết hiệu lực.</p>", 404);
        var o = result.Value;
        var rows = string.Concat(o.Lines.Select(l =>
            $"<tr><td>{E(l.Name)}<br><span class=\"muted\">{E(l.LegalBasis)}</span></td><td class=\"n\">{l.Quantity}</td>" +
            $"<td class=\"n\">{E(Show(l.GrossAmount))}</td><td class=\"n\">{E(l.Discount.Value == 0 ? "" : "−" + Show(l.Discount))}</td>" +
            $"<td class=\"n\">{E(Show(l.Amount))}</td></tr>"));
        var (label, css) = StatusLabel(o.Status);
        var action = o.Status switch
        {
            // The citizen page offers what works in a plain browser with no script from elsewhere: redirects and QR.
            "created" or "awaiting_payment" => string.Concat(providers.EnabledCodes.Order()
                .Where(code => providers.Find(code).Provider!.Capabilities.HasFlag(ProviderCapabilities.Redirect)
                               || providers.Find(code).Provider!.Capabilities.HasFlag(ProviderCapabilities.Qr)).Select(code =>
                $"<form method=\"post\" action=\"/pay/{E(token)}/attempts\"><input type=\"hidden\" name=\"provider\" value=\"{E(code)}\">" +
                $"<button>Thanh toán qua {E(ProviderName(code))}</button></form>")) +
                $"<p class=\"muted\">Hạn thanh toán: {o.ExpiresAt:HH:mm dd/MM/yyyy} (giờ Việt Nam)</p>",
            "paid" when o.Receipt is { } r => $"<p>Biên lai: ký hiệu {E(r.Series)}, số {r.Number:0000000} — <a href=\"/pay/{E(token)}/receipt.pdf\">Tải biên lai (PDF)</a></p>",
            "paid" => "<p>Hồ sơ được miễn phí, lệ phí: không cần thanh toán.</p>",
            _ => "",
        };
        if (o.Status is "created" or "awaiting_payment" && await VietQrImageEndpoints.PayloadAsync(token, db, providers, ct) is not null
            && providers.Find(Providers.VietQr.VietQrProvider.ProviderCode).Provider is Providers.VietQr.VietQrProvider qr)
        {
            var code = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
                db.Attempts.Where(a => a.Provider == qr.Code && a.OrderId == new PaymentOrderId(o.Id)).OrderByDescending(a => a.CreatedAt)
                    .Select(a => a.ProviderReference), ct);
            action = $"""
                <h2>Chuyển khoản bằng VietQR</h2>
                <img src="/pay/{E(token)}/vietqr.svg" alt="Mã VietQR" width="256" height="256">
                <p>Ngân hàng: <b>{E(qr.BankName)}</b><br>Số tài khoản: <b>{E(qr.AccountNumber)}</b><br>Chủ tài khoản: {E(qr.AccountName)}<br>
                Số tiền: <b>{E(Show(o.Amount))}</b><br>Nội dung chuyển khoản: <b>{E(code)}</b></p>
                <p class="muted">Nếu nhập tay, hãy ghi đúng nội dung chuyển khoản để hệ thống tự xác nhận.</p>
                """ + (config.GetValue<bool>("Payments:Providers:vietqr:Simulator")
                    ? $"""<p><a href="/sandbox/bank?code={E(code)}&amount={o.Amount.Value}">Mô phỏng chuyển khoản (sandbox)</a></p>""" : "") + action;
        }
        var body = $"""
            <h1>Thanh toán phí, lệ phí</h1>
            <p>Hồ sơ: <b>{E(o.DossierCode)}</b><br>Thủ tục: {E(o.ProcedureCode)}</p>
            <p>Trạng thái: <span class="status {css}">{E(label)}</span></p>
            <table><tr><th>Khoản thu</th><th class="n">SL</th><th class="n">Số tiền</th><th class="n">Giảm</th><th class="n">Phải nộp</th></tr>{rows}
            <tr><td colspan="4" class="total">Tổng cộng</td><td class="n total">{E(Show(o.Amount))}</td></tr></table>
            {action}
            """;
        return Render("Thanh toán hồ sơ " + o.DossierCode, body, refreshSeconds: o.Status == "awaiting_payment" ? 5 : null);
    }

    private static async Task<IResult> StartAsync(string token, HttpContext http, ISender sender, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var result = await sender.Send(new StartPaymentAttempt(OrderLocator.ForCitizen(token), form["provider"].ToString(),
            StartPaymentAttemptEndpoint.PayerIp(http), "vn"), ct);
        if (!result.IsSuccess)
            return Render("Không thể thanh toán", $"<h1>Không thể thanh toán</h1><p>{E(result.Error!.Message)}</p><p><a href=\"/pay/{E(token)}\">Quay lại</a></p>",
                result.Error!.Kind == ErrorKind.NotFound ? 404 : 409);
        return result.Value.RedirectUrl is { } url ? Results.Redirect(url) : Results.Redirect($"/pay/{Uri.EscapeDataString(token)}");
    }

    private static string Show(AmountView a) => new Money(a.Value, Currency.Parse(a.Currency)).ToDisplayString();

    private static string ProviderName(string code) => code switch
    {
        "sandbox" => "ví thử nghiệm (sandbox)",
        "vnptpay" => "ví VNPT Pay",
        "vietqr" => "chuyển khoản VietQR",
        "stripe" => "thẻ (Stripe, thử nghiệm)",
        _ => code,
    };

    private static (string Label, string Css) StatusLabel(string status) => status switch
    {
        "created" => ("Chờ thanh toán", ""),
        "awaiting_payment" => ("Đang thanh toán", ""),
        "paid" => ("Đã thanh toán", "paid"),
        "partially_refunded" => ("Đã hoàn một phần", "paid"),
        "refunded" => ("Đã hoàn tiền", "bad"),
        "cancelled" => ("Đã hủy", "bad"),
        "expired" => ("Đã hết hạn", "bad"),
        _ => (status, ""),
    };
}
