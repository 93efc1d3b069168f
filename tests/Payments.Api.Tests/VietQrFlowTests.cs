using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Payments.Domain.Ledger;
using Payments.Domain.Reconciliation;
using Payments.Providers.VietQr;

namespace Payments.Api.Tests;

public class VietQrFlowTests
{
    private static async Task<(string Id, JsonElement Attempt)> StartAsync(HttpClient portal, string dossier)
    {
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: dossier));
        var id = order.GetProperty("id").GetString()!;
        var res = await portal.PostAsJsonAsync($"/api/v1/payment-orders/{id}/attempts", new { provider = "vietqr" });
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        return (id, await res.Json());
    }

    /// <summary>The bank's credit notification: one JSON line, X-Signature = hex HMAC-SHA256 of the raw body.</summary>
    private static async Task<HttpResponseMessage> CreditAsync(HttpClient client, string txn, long amount, string content, string? secret = null)
    {
        var body = JsonSerializer.Serialize(new { bankTxnId = txn, account = ApiFactory.VietQrAccount, amount, content, bookedAt = DateTimeOffset.UtcNow });
        var req = new HttpRequestMessage(HttpMethod.Post, "/callbacks/vietqr") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        req.Headers.Add("X-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? ApiFactory.NotifySecret), Encoding.UTF8.GetBytes(body))));
        return await client.SendAsync(req);
    }

    private static async Task<string> StatusAsync(HttpClient portal, string id) => (await portal.GetOrderAsync(id)).GetProperty("status").GetString()!;

    [Fact]
    public async Task The_attempt_carries_a_valid_dynamic_qr_with_images_and_bank_details()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var (id, attempt) = await StartAsync(portal, "QR-1");
        var code = attempt.GetProperty("paymentCode").GetString()!;
        var qr = attempt.GetProperty("qr");
        var payload = qr.GetProperty("payload").GetString()!;
        Assert.Null(VietQrPayload.Validate(payload));
        Assert.Equal("135000", VietQrPayload.FieldOf(payload, "54"));
        Assert.Contains(code, payload);
        Assert.Equal("Vietcombank", qr.GetProperty("bank").GetString());

        var png = await api.Anonymous().GetAsync(new Uri(qr.GetProperty("pngUrl").GetString()!).AbsolutePath);
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync(new Uri(qr.GetProperty("svgUrl").GetString()!).AbsolutePath)).StatusCode);

        // Reopening the page shows the same code: one payment code per order.
        var again = await (await portal.PostAsJsonAsync($"/api/v1/payment-orders/{id}/attempts", new { provider = "vietqr" })).Json();
        Assert.Equal(code, again.GetProperty("paymentCode").GetString());
        var page = await (await api.Anonymous().GetAsync(new Uri((await portal.GetOrderAsync(id)).GetProperty("paymentUrl").GetString()!).AbsolutePath)).Content.ReadAsStringAsync();
        Assert.Contains(code, page);
        Assert.Contains(ApiFactory.VietQrAccount, page);
    }

    [Fact]
    public async Task A_matching_credit_pays_once_and_a_repeat_changes_nothing()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var (id, attempt) = await StartAsync(portal, "QR-PAY");
        var code = attempt.GetProperty("paymentCode").GetString()!;
        var handTyped = "nop phi " + code.ToLowerInvariant().Insert(4, " ");
        Assert.Equal(HttpStatusCode.OK, (await CreditAsync(api.Anonymous(), "FT001", 135_000, handTyped)).StatusCode);
        Assert.Equal("paid", await StatusAsync(portal, id));
        var repeat = await CreditAsync(api.Anonymous(), "FT001", 135_000, handTyped);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.True((await repeat.Json()).GetProperty("duplicate").GetBoolean());
        Assert.Equal((1, 0), api.Db(db => (db.Receipts.Count(), db.ReconciliationItems.Count())));
    }

    [Theory]
    [InlineData(100_000, "partial")]
    [InlineData(200_000, "excess")]
    public async Task A_credit_of_another_amount_is_held_for_a_cashier_not_paid(long amount, string direction)
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var (id, attempt) = await StartAsync(portal, "QR-AMT");
        await CreditAsync(api.Anonymous(), "FT002", amount, attempt.GetProperty("paymentCode").GetString()!);
        Assert.Equal("awaiting_payment", await StatusAsync(portal, id));
        var item = api.Db(db => db.ReconciliationItems.Single());
        Assert.Equal((ReconciliationKind.AmountMismatch, direction, amount), (item.Kind, item.Direction, item.Amount.Minor));
        Assert.NotNull(item.OrderId);
        Assert.True((await (await portal.GetAsync("/api/v1/ledger/trial-balance")).Json()).GetProperty("balanced").GetBoolean());
        Assert.Equal(1, api.Db(db => db.LedgerTransactions.Count(t => t.Kind == LedgerKind.UnmatchedCredit)));
    }

    [Fact]
    public async Task A_credit_without_a_known_code_is_kept_as_an_unknown_credit()
    {
        using var api = new ApiFactory();
        await CreditAsync(api.Anonymous(), "FT003", 50_000, "ung ho TT22222222");
        await CreditAsync(api.Anonymous(), "FT004", 70_000, "chuyen tien");
        var items = api.Db(db => db.ReconciliationItems.ToList());
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal(ReconciliationKind.UnknownCredit, i.Kind));
    }

    [Fact]
    public async Task A_forged_credit_is_401_and_holds_nothing()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var (id, attempt) = await StartAsync(portal, "QR-FORGED");
        var res = await CreditAsync(api.Anonymous(), "FT005", 135_000, attempt.GetProperty("paymentCode").GetString()!, secret: "an-attacker-guess-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
        Assert.Equal("awaiting_payment", await StatusAsync(portal, id));
        Assert.Equal(0, api.Db(db => db.ReconciliationItems.Count()));
    }

    [Fact]
    public async Task A_transfer_after_cancellation_goes_to_refund_review_without_a_receipt()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var (id, attempt) = await StartAsync(portal, "QR-LATE");
        await portal.PostAsync($"/api/v1/payment-orders/{id}/cancel", null);
        await CreditAsync(api.Anonymous(), "FT006", 135_000, attempt.GetProperty("paymentCode").GetString()!);
        var order = await portal.GetOrderAsync(id);
        Assert.Equal("cancelled", order.GetProperty("status").GetString());
        Assert.True(order.GetProperty("requiresRefundReview").GetBoolean());
        Assert.Equal(0, api.Db(db => db.Receipts.Count()));
    }
}

public class SandboxBankTests
{
    [Fact]
    public async Task The_simulated_bank_sends_a_signed_credit_that_pays_the_order()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "QR-BANK"));
        var id = order.GetProperty("id").GetString()!;
        var attempt = await (await portal.PostAsJsonAsync($"/api/v1/payment-orders/{id}/attempts", new { provider = "vietqr" })).Json();
        var page = await (await api.Anonymous().GetAsync(new Uri(order.GetProperty("paymentUrl").GetString()!).AbsolutePath)).Content.ReadAsStringAsync();
        Assert.Contains("/sandbox/bank?code=", page);
        var res = await api.Anonymous().PostAsync("/sandbox/bank", new FormUrlEncodedContent(
            [new("amount", "135000"), new("content", "NOP PHI " + attempt.GetProperty("paymentCode").GetString())]));
        Assert.Contains("HTTP 200", await res.Content.ReadAsStringAsync());
        Assert.Equal("paid", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
    }
}

public class VietQrDuplicateTransferTests
{
    [Fact]
    public async Task A_second_transfer_with_the_same_code_is_kept_as_a_duplicate_credit_not_dropped()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "QR-TWICE"));
        var attempt = await (await portal.PostAsJsonAsync($"/api/v1/payment-orders/{order.GetProperty("id")}/attempts", new { provider = "vietqr" })).Json();
        var code = attempt.GetProperty("paymentCode").GetString()!;
        foreach (var txn in new[] { "FT-A", "FT-B" })
        {
            var body = JsonSerializer.Serialize(new { bankTxnId = txn, account = ApiFactory.VietQrAccount, amount = 135_000, content = code, bookedAt = DateTimeOffset.UtcNow });
            var req = new HttpRequestMessage(HttpMethod.Post, "/callbacks/vietqr") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            req.Headers.Add("X-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ApiFactory.NotifySecret), Encoding.UTF8.GetBytes(body))));
            Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().SendAsync(req)).StatusCode);
        }
        var item = api.Db(db => db.ReconciliationItems.Single());
        Assert.Equal((ReconciliationKind.DuplicateCredit, "FT-B", 135_000L), (item.Kind, item.BankTxnId, item.Amount.Minor));
        Assert.Equal(1, api.Db(db => db.Receipts.Count()));
        Assert.True((await (await portal.GetAsync("/api/v1/ledger/trial-balance")).Json()).GetProperty("balanced").GetBoolean());
    }
}
