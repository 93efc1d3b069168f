using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Providers.VietQr;
using static Payments.Api.Infrastructure.Http.HtmlPage;

namespace Payments.Api.Features.Sandbox;

/// <summary>
/// Plays the bank offline (Payments:Providers:vietqr:Simulator): a person "transfers" money with any content and
/// amount, and the simulated bank sends its signed credit notification to /callbacks/vietqr.
/// </summary>
internal static class SandboxBank
{
    public static void Map(IEndpointRouteBuilder app, IConfiguration config)
    {
        if (!config.GetValue<bool>("Payments:Providers:vietqr:Enabled") || !config.GetValue<bool>("Payments:Providers:vietqr:Simulator")) return;
        var group = app.MapGroup("/sandbox/bank").ExcludeFromDescription().DisableAntiforgery();
        group.MapGet("", (string? code, long? amount) => Render("Ngân hàng mô phỏng", $"""
            <h1>Ngân hàng mô phỏng <span class="muted">(không phải tiền thật)</span></h1>
            <form method="post" action="/sandbox/bank">
              <p><label>Số tiền (đồng)<br><input name="amount" value="{amount}" inputmode="numeric" required></label></p>
              <p><label>Nội dung chuyển khoản<br><input name="content" value="{E(code)}" size="40"></label></p>
              <button>Chuyển khoản</button>
            </form>
            """));
        group.MapPost("", TransferAsync);
    }

    private static async Task<IResult> TransferAsync(HttpContext http, IConfiguration config, IHttpClientFactory clients, PublicUrls urls,
        TimeProvider clock, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        if (!long.TryParse(form["amount"], out var amount) || amount <= 0) return Render("Ngân hàng mô phỏng", "<h1>Số tiền không hợp lệ</h1>", 400);
        var options = config.GetSection("Payments:Providers:vietqr").Get<VietQrOptions>()!;
        var body = JsonSerializer.Serialize(new
        {
            bankTxnId = "FT" + Tokens.NewCode(12),
            account = options.AccountNumber,
            amount,
            content = form["content"].ToString(),
            bookedAt = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7)),
        });
        var request = new HttpRequestMessage(HttpMethod.Post, $"{urls.BaseUrl}/callbacks/vietqr") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(VietQrProvider.SignatureHeader,
            Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.NotifySecret), Encoding.UTF8.GetBytes(body))));
        using var answer = await clients.CreateClient(SandboxWallet.HttpClientName).SendAsync(request, ct);
        return Render("Ngân hàng mô phỏng", $"""
            <h1>Đã chuyển khoản</h1><p>Ngân hàng đã báo có: <code>{E(body)}</code></p>
            <p>Hệ thống trả lời: HTTP {(int)answer.StatusCode} <code>{E(await answer.Content.ReadAsStringAsync(ct))}</code></p>
            """);
    }
}
