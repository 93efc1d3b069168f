using Microsoft.Extensions.Options;
using Payments.Api.Infrastructure.Http;
using Payments.Domain.Common;
using Payments.Providers;
using Payments.Providers.Wallet;
using static Payments.Api.Infrastructure.Http.HtmlPage;

namespace Payments.Api.Features.Sandbox;

/// <summary>
/// Plays the wallet's side offline for every wallet-contract provider (sandbox at /sandbox/wallet, vnptpay at
/// /sandbox/vnptpay): its hosted page (the payer picks an outcome), the signed IPN it sends server to server, the
/// browser's return, and its signed query/refund API. It checks our signed requests as the wallet would.
/// </summary>
internal static partial class SandboxWallet
{
    public const string HttpClientName = "sandbox-wallet";

    /// <summary>URL segment → provider code.</summary>
    private static readonly Dictionary<string, string> Segments = new() { ["wallet"] = "sandbox", ["vnptpay"] = "vnptpay" };

    public static void Map(IEndpointRouteBuilder app, IConfiguration config)
    {
        foreach (var (segment, code) in Segments)
        {
            if (!config.GetValue<bool>($"Payments:Providers:{code}:Enabled")) continue;
            var group = app.MapGroup($"/sandbox/{segment}").ExcludeFromDescription().DisableAntiforgery();
            group.MapGet("/pay", (HttpRequest r, IOptionsMonitor<WalletOptions> o) => ShowPage(code, segment, r, o.Get(code)));
            group.MapPost("/pay", (HttpContext h, IOptionsMonitor<WalletOptions> o, CancellationToken ct) => CompleteAsync(code, h, o.Get(code), ct));
            group.MapPost("/api", (HttpContext h, IOptionsMonitor<WalletOptions> o, CancellationToken ct) => ApiAsync(code, h, o.Get(code), ct));
        }
    }

    private static IResult ShowPage(string code, string segment, HttpRequest request, WalletOptions wallet)
    {
        var p = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (!IsOurs(p, wallet))
            return Render("Ví mô phỏng", "<h1>Yêu cầu không hợp lệ</h1><p>Chữ ký của đơn vị bán hàng không đúng.</p>", 400);

        var amount = long.TryParse(p[WalletFields.Amount], out var a) ? Money.Vnd(a / WalletFields.AmountScale).ToDisplayString() : "?";
        var hidden = string.Concat(p.Select(kv => $"<input type=\"hidden\" name=\"{E(kv.Key)}\" value=\"{E(kv.Value)}\">"));
        var body = $"""
            <h1>Ví {E(code)} <span class="muted">(mô phỏng, không phải tiền thật)</span></h1>
            <p>Đơn vị: <b>{E(p[WalletFields.TmnCode])}</b><br>Nội dung: {E(p.GetValueOrDefault(WalletFields.OrderInfo))}<br>
            Mã giao dịch: {E(p[WalletFields.TxnRef])}</p>
            <p class="total">Số tiền: {E(amount)}</p>
            <form method="post" action="/sandbox/{segment}/pay">{hidden}
              <button name="outcome" value="success">Thanh toán thành công</button>
              <button name="outcome" value="failure">Thanh toán thất bại</button>
              <button name="outcome" value="cancel">Hủy giao dịch</button>
              <button name="outcome" value="success_lost_ipn" class="muted">Thành công nhưng IPN bị mất</button>
            </form>
            """;
        return Render("Ví mô phỏng", body);
    }

    private static async Task<IResult> CompleteAsync(string code, HttpContext http, WalletOptions wallet, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var outcome = form["outcome"].ToString();
        var p = form.Where(f => f.Key.StartsWith(WalletFields.Prefix, StringComparison.Ordinal))
            .ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        if (!IsOurs(p, wallet) || outcome is not ("success" or "failure" or "cancel" or "success_lost_ipn"))
            return Render("Ví mô phỏng", "<h1>Yêu cầu không hợp lệ</h1>", 400);

        var services = http.RequestServices;
        var clock = services.GetRequiredService<TimeProvider>();
        var success = outcome.StartsWith("success");
        var (response, status) = success ? (WalletFields.CodeSuccess, WalletFields.CodeSuccess)
            : outcome == "cancel" ? (WalletFields.CodeCancelledByCustomer, "02")
            : ("51", "02"); // 51: insufficient balance
        var payment = new SimulatedPayment(p[WalletFields.TxnRef], long.Parse(p[WalletFields.Amount]),
            success ? WalletSimulatorState.NewTransactionNo() : "0", response, status, WalletGateway.FormatDate(clock.GetUtcNow()),
            p.GetValueOrDefault(WalletFields.OrderInfo, ""));
        services.GetRequiredService<WalletSimulatorState>().Record(code, payment);

        var query = WalletSignature.ToSignedQuery(IpnFields(wallet, payment), wallet.HashSecret);
        if (outcome != "success_lost_ipn") await SendIpnAsync(code, query, services, ct);
        var returnUrl = p[WalletFields.ReturnUrl];
        return Results.Redirect(returnUrl + (returnUrl.Contains('?') ? "&" : "?") + query);
    }

    private static Dictionary<string, string> IpnFields(WalletOptions wallet, SimulatedPayment payment) => new(StringComparer.Ordinal)
    {
        [WalletFields.TmnCode] = wallet.TmnCode,
        [WalletFields.Amount] = payment.WalletAmount.ToString(),
        [WalletFields.BankCode] = "SANDBOX",
        [WalletFields.BankTranNo] = payment.ResponseCode == WalletFields.CodeSuccess ? "SB" + payment.TransactionNo : "",
        [WalletFields.CardType] = "WALLET",
        [WalletFields.PayDate] = payment.PayDate,
        [WalletFields.OrderInfo] = payment.OrderInfo,
        [WalletFields.TransactionNo] = payment.TransactionNo,
        [WalletFields.ResponseCode] = payment.ResponseCode,
        [WalletFields.TransactionStatus] = payment.TransactionStatus,
        [WalletFields.TxnRef] = payment.TxnRef,
    };

    private static async Task SendIpnAsync(string code, string query, IServiceProvider services, CancellationToken ct)
    {
        var config = services.GetRequiredService<IConfiguration>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Sandbox");
        var ipnUrl = config[$"Payments:Providers:{code}:IpnUrl"] ?? $"{services.GetRequiredService<PublicUrls>().BaseUrl}/callbacks/{code}";
        try
        {
            using var answer = await services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName).GetAsync($"{ipnUrl}?{query}", ct);
            log.LogInformation("Simulated {Provider} IPN answered {Body}", code, await answer.Content.ReadAsStringAsync(ct));
        }
        catch (HttpRequestException ex)
        {
            // A real wallet retries its IPN later; the simulator says so and still sends the payer back.
            log.LogWarning(ex, "Simulated {Provider} IPN to {Url} failed", code, ipnUrl);
        }
    }

    /// <summary>The signed request is ours: good signature and our merchant code.</summary>
    private static bool IsOurs(IReadOnlyDictionary<string, string> p, WalletOptions wallet) =>
        wallet.Enabled && WalletSignature.Verify(p, wallet.HashSecret)
        && p.GetValueOrDefault(WalletFields.TmnCode) == wallet.TmnCode
        && p.ContainsKey(WalletFields.TxnRef) && p.ContainsKey(WalletFields.Amount) && p.ContainsKey(WalletFields.ReturnUrl);
}
