using System.Text;
using Microsoft.Extensions.Options;
using Payments.Api.Infrastructure.Http;
using Payments.Domain.Common;
using Payments.Providers.Sandbox;
using Payments.Providers.Wallet;
using static Payments.Api.Infrastructure.Http.HtmlPage;

namespace Payments.Api.Features.Sandbox;

/// <summary>
/// Plays the wallet's side offline: its hosted page (the payer picks success, failure or cancel), then the signed
/// IPN it sends server to server, then the browser's return. It checks our signed request as the wallet would.
/// </summary>
internal static class SandboxWallet
{
    public const string HttpClientName = "sandbox-wallet";
    public const string PayPath = "/sandbox/wallet/pay";

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PayPath).ExcludeFromDescription().DisableAntiforgery();
        group.MapGet("", ShowPage);
        group.MapPost("", CompleteAsync);
    }

    private static IResult ShowPage(HttpRequest request, IOptionsMonitor<WalletOptions> options)
    {
        var p = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (!IsOurs(p, options.Get(SandboxProvider.ProviderCode)))
            return Render("Ví sandbox", "<h1>Yêu cầu không hợp lệ</h1><p>Chữ ký của đơn vị bán hàng không đúng.</p>", 400);

        var amount = WalletAmount(p);
        var hidden = string.Concat(p.Select(kv => $"<input type=\"hidden\" name=\"{E(kv.Key)}\" value=\"{E(kv.Value)}\">"));
        var body = $"""
            <h1>Ví sandbox <span class="muted">(mô phỏng, không phải tiền thật)</span></h1>
            <p>Đơn vị: <b>{E(p[WalletFields.TmnCode])}</b><br>Nội dung: {E(p.GetValueOrDefault(WalletFields.OrderInfo))}<br>
            Mã giao dịch: {E(p[WalletFields.TxnRef])}</p>
            <p class="total">Số tiền: {E(amount?.ToDisplayString() ?? "?")}</p>
            <form method="post" action="{PayPath}">{hidden}
              <button name="outcome" value="success">Thanh toán thành công</button>
              <button name="outcome" value="failure">Thanh toán thất bại</button>
              <button name="outcome" value="cancel">Hủy giao dịch</button>
            </form>
            """;
        return Render("Ví sandbox", body);
    }

    private static async Task<IResult> CompleteAsync(HttpRequest request, IOptionsMonitor<WalletOptions> options, IHttpClientFactory http,
        PublicUrls urls, IConfiguration config, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        var form = await request.ReadFormAsync(ct);
        var outcome = form["outcome"].ToString();
        var p = form.Where(f => f.Key.StartsWith(WalletFields.Prefix, StringComparison.Ordinal))
            .ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var wallet = options.Get(SandboxProvider.ProviderCode);
        if (!IsOurs(p, wallet) || outcome is not ("success" or "failure" or "cancel"))
            return Render("Ví sandbox", "<h1>Yêu cầu không hợp lệ</h1>", 400);

        var (response, status) = outcome switch
        {
            "success" => (WalletFields.CodeSuccess, WalletFields.CodeSuccess),
            "cancel" => (WalletFields.CodeCancelledByCustomer, "02"),
            _ => ("51", "02"), // 51: insufficient balance
        };
        var ipn = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [WalletFields.TmnCode] = wallet.TmnCode,
            [WalletFields.Amount] = p[WalletFields.Amount],
            [WalletFields.BankCode] = "SANDBOX",
            [WalletFields.BankTranNo] = outcome == "success" ? "SB" + Infrastructure.Auth.Tokens.NewCode(10) : "",
            [WalletFields.CardType] = "WALLET",
            [WalletFields.PayDate] = WalletGateway.FormatDate(clock.GetUtcNow()),
            [WalletFields.OrderInfo] = p.GetValueOrDefault(WalletFields.OrderInfo, ""),
            [WalletFields.TransactionNo] = outcome == "success" ? NewTransactionNo() : "0",
            [WalletFields.ResponseCode] = response,
            [WalletFields.TransactionStatus] = status,
            [WalletFields.TxnRef] = p[WalletFields.TxnRef],
        };
        var query = WalletSignature.ToSignedQuery(ipn, wallet.HashSecret);
        var ipnUrl = config[$"Payments:Providers:{SandboxProvider.ProviderCode}:IpnUrl"] ?? $"{urls.BaseUrl}/callbacks/{SandboxProvider.ProviderCode}";
        try
        {
            using var answer = await http.CreateClient(HttpClientName).GetAsync($"{ipnUrl}?{query}", ct);
            logs.CreateLogger("Sandbox").LogInformation("Sandbox IPN for {TxnRef} answered {Body}", ipn[WalletFields.TxnRef], await answer.Content.ReadAsStringAsync(ct));
        }
        catch (HttpRequestException ex)
        {
            // A real wallet retries its IPN later; the sandbox says so and still sends the payer back.
            logs.CreateLogger("Sandbox").LogWarning(ex, "Sandbox IPN to {Url} failed", ipnUrl);
        }
        var returnUrl = p[WalletFields.ReturnUrl];
        return Results.Redirect(returnUrl + (returnUrl.Contains('?') ? "&" : "?") + query);
    }

    /// <summary>The signed request is ours: good signature and our merchant code.</summary>
    private static bool IsOurs(IReadOnlyDictionary<string, string> p, WalletOptions wallet) =>
        wallet.Enabled && WalletSignature.Verify(p, wallet.HashSecret)
        && p.GetValueOrDefault(WalletFields.TmnCode) == wallet.TmnCode
        && p.ContainsKey(WalletFields.TxnRef) && p.ContainsKey(WalletFields.Amount) && p.ContainsKey(WalletFields.ReturnUrl);

    private static Money? WalletAmount(IReadOnlyDictionary<string, string> p) =>
        long.TryParse(p.GetValueOrDefault(WalletFields.Amount), out var a) ? Money.Vnd(a / WalletFields.AmountScale) : null;

    private static string NewTransactionNo()
    {
        var sb = new StringBuilder(12);
        foreach (var b in System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)) sb.Append((char)('0' + b % 10));
        return sb.ToString();
    }
}
