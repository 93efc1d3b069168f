using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Payments.Api.Tests;

public class PaymentFlowTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;
    private readonly HttpClient _portal;

    public PaymentFlowTests(ApiFactory api) { _api = api; _portal = api.Portal(); }

    [Fact]
    public async Task Create_attempt_and_signed_ipn_end_paid_with_receipt_and_balanced_ledger()
    {
        var order = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "FLOW-1"));
        Assert.Equal("created", order.GetProperty("status").GetString());
        Assert.Equal(135_000, order.GetProperty("amount").GetProperty("value").GetInt64());
        Assert.Equal("VND", order.GetProperty("amount").GetProperty("currency").GetString());
        Assert.Equal("GPLX-CAP", order.GetProperty("lines")[0].GetProperty("feeCode").GetString());
        Assert.StartsWith("http://localhost/pay/", order.GetProperty("paymentUrl").GetString());
        Assert.Equal(TimeSpan.FromMinutes(90), order.GetProperty("expiresAt").GetDateTimeOffset() - order.GetProperty("createdAt").GetDateTimeOffset());
        var id = order.GetProperty("id").GetString()!;

        var attempt = await _portal.StartAttemptAsync(id);
        var reference = attempt.GetProperty("providerReference").GetString()!;
        Assert.Equal("sandbox", attempt.GetProperty("provider").GetString());
        Assert.Contains("vnp_Amount=13500000", attempt.GetProperty("redirectUrl").GetString());
        Assert.Contains($"vnp_TxnRef={reference}", attempt.GetProperty("redirectUrl").GetString());
        Assert.Equal("awaiting_payment", (await _portal.GetOrderAsync(id)).GetProperty("status").GetString());

        Assert.Equal("00", await _api.Anonymous().SendIpnAsync(Wire.Ipn(reference, 13_500_000, "14000001")));

        var paid = await _portal.GetOrderAsync(id);
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        var receiptRef = paid.GetProperty("receipt");
        Assert.True(receiptRef.GetProperty("number").GetInt32() >= 1);

        var receipt = await (await _portal.GetAsync($"/api/v1/receipts/{receiptRef.GetProperty("id").GetString()}")).Json();
        Assert.Equal("Một trăm ba mươi lăm nghìn đồng", receipt.GetProperty("amountInWords").GetString());
        Assert.Equal("valid", receipt.GetProperty("status").GetString());
        Assert.Equal("01BLP0-001", receipt.GetProperty("templateSymbol").GetString());
        Assert.Equal(receiptRef.GetProperty("series").GetString(), receipt.GetProperty("series").GetString());
        Assert.Equal("14000001", receipt.GetProperty("providerTransactionId").GetString());

        var balance = await (await _portal.GetAsync("/api/v1/ledger/trial-balance")).Json();
        Assert.True(balance.GetProperty("balanced").GetBoolean());
        Assert.Equal(balance.GetProperty("totalDebit").GetInt64(), balance.GetProperty("totalCredit").GetInt64());
        Assert.Contains(balance.GetProperty("accounts").EnumerateArray(), a => a.GetProperty("account").GetString() == "revenue:000.00.12.H29:le-phi:GPLX-CAP");

        var orderId = Guid.Parse(id);
        Assert.Equal(1, _api.Db(db => db.Outbox.Count(m => m.Type == "payment_order.paid" && m.AggregateId == id)));
        Assert.Equal(1, _api.Db(db => db.LedgerTransactions.Count(t => t.OrderId == new Domain.Common.PaymentOrderId(orderId))));
    }

    [Fact]
    public async Task The_sandbox_hosted_page_pays_by_sending_its_own_signed_ipn()
    {
        var order = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "FLOW-SANDBOX"));
        var id = order.GetProperty("id").GetString()!;
        var redirect = new Uri((await _portal.StartAttemptAsync(id)).GetProperty("redirectUrl").GetString()!);
        var browser = _api.Anonymous();

        var page = await browser.GetAsync(redirect.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("135.000 ₫", await page.Content.ReadAsStringAsync());

        var done = await browser.PostAsync(redirect.AbsolutePath, new StringContent(redirect.Query.TrimStart('?') + "&outcome=success",
            System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.StartsWith(order.GetProperty("paymentUrl").GetString()!, done.Headers.Location!.ToString());
        Assert.Equal("paid", (await _portal.GetOrderAsync(id)).GetProperty("status").GetString());

        var payPage = await (await browser.GetAsync(done.Headers.Location)).Content.ReadAsStringAsync();
        Assert.Contains("Đã thanh toán", payPage);
    }

    [Fact]
    public async Task The_sandbox_page_refuses_a_request_with_a_bad_signature()
    {
        var res = await _api.Anonymous().GetAsync("/sandbox/wallet/pay?vnp_Amount=100&vnp_TxnRef=X&vnp_TmnCode=TEST0001&vnp_ReturnUrl=http%3A%2F%2Fx&vnp_SecureHash=00");
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
    }

    [Fact]
    public async Task Cancel_on_the_wallet_page_makes_the_order_payable_again_then_a_new_attempt_pays()
    {
        var order = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "FLOW-CANCEL"));
        var id = order.GetProperty("id").GetString()!;
        var first = await _portal.StartAttemptAsync(id);
        Assert.Equal("00", await _portal.SendIpnAsync(Wire.Ipn(first.GetProperty("providerReference").GetString()!, 13_500_000, "0", response: "24", status: "02")));
        Assert.Equal("created", (await _portal.GetOrderAsync(id)).GetProperty("status").GetString());
        // The same failure again changes nothing.
        Assert.Equal("02", await _portal.SendIpnAsync(Wire.Ipn(first.GetProperty("providerReference").GetString()!, 13_500_000, "0", response: "24", status: "02")));

        var second = await _portal.StartAttemptAsync(id);
        Assert.Equal("00", await _portal.SendIpnAsync(Wire.Ipn(second.GetProperty("providerReference").GetString()!, 13_500_000, "14000002")));
        Assert.Equal("paid", (await _portal.GetOrderAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_return_url_alone_never_marks_paid()
    {
        var order = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "FLOW-RETURN"));
        var id = order.GetProperty("id").GetString()!;
        var reference = (await _portal.StartAttemptAsync(id)).GetProperty("providerReference").GetString()!;
        var returnUrl = order.GetProperty("paymentUrl").GetString() + "?" + Wire.Ipn(reference, 13_500_000, "14000003");

        var page = await _api.Anonymous().GetAsync(returnUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("awaiting_payment", (await _portal.GetOrderAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_citizen_page_starts_an_attempt_and_unknown_tokens_are_404()
    {
        var order = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "FLOW-PAGE"));
        var browser = _api.Anonymous();
        var page = await (await browser.GetAsync(order.GetProperty("paymentUrl").GetString())).Content.ReadAsStringAsync();
        Assert.Contains("FLOW-PAGE", page);
        Assert.Contains("135.000 ₫", page);

        var go = await browser.PostAsync(new Uri(order.GetProperty("paymentUrl").GetString()!).AbsolutePath + "/attempts",
            new FormUrlEncodedContent([new("provider", "sandbox")]));
        Assert.Equal(HttpStatusCode.Redirect, go.StatusCode);
        Assert.Contains("/sandbox/wallet/pay?", go.Headers.Location!.ToString());

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/pay/not-a-real-token")).StatusCode);
    }

    [Fact]
    public async Task Online_discount_applies_online_only()
    {
        var online = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "FLOW-DISC-1", fee: "CCCD-DOI"));
        var counter = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "FLOW-DISC-2", fee: "CCCD-DOI", channel: "counter"));
        Assert.Equal(25_000, online.GetProperty("amount").GetProperty("value").GetInt64());
        Assert.Equal(25_000, online.GetProperty("lines")[0].GetProperty("discount").GetProperty("value").GetInt64());
        Assert.Equal(50_000, counter.GetProperty("amount").GetProperty("value").GetInt64());
    }

    [Fact]
    public async Task Quantity_multiplies_the_fee()
    {
        var order = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "FLOW-QTY", fee: "LLTP", quantity: 3));
        Assert.Equal(600_000, order.GetProperty("amount").GetProperty("value").GetInt64());
    }

    [Fact]
    public async Task An_exempt_dossier_is_settled_without_payment_or_receipt()
    {
        var order = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "FLOW-FREE", fee: "KHAISINH"));
        Assert.Equal("paid", order.GetProperty("status").GetString());
        Assert.Equal(0, order.GetProperty("amount").GetProperty("value").GetInt64());
        Assert.Equal(JsonValueKind.Null, order.GetProperty("receipt").ValueKind);
        var res = await _portal.PostAsJsonAsync($"/api/v1/payment-orders/{order.GetProperty("id")}/attempts", new { provider = "sandbox" });
        Assert.Equal(HttpStatusCode.Conflict, res.StatusCode);
        Assert.Equal("order_not_payable", (await res.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Cancel_then_a_late_success_is_held_for_refund_review_with_balanced_books()
    {
        var order = await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "FLOW-LATE"));
        var id = order.GetProperty("id").GetString()!;
        var reference = (await _portal.StartAttemptAsync(id)).GetProperty("providerReference").GetString()!;

        var cancel = await _portal.PostAsync($"/api/v1/payment-orders/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await cancel.Json()).GetProperty("status").GetString());
        var again = await _portal.PostAsync($"/api/v1/payment-orders/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        Assert.Equal("00", await _portal.SendIpnAsync(Wire.Ipn(reference, 13_500_000, "14000004")));
        var after = await _portal.GetOrderAsync(id);
        Assert.Equal("cancelled", after.GetProperty("status").GetString());
        Assert.True(after.GetProperty("requiresRefundReview").GetBoolean());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("receipt").ValueKind);

        var balance = await (await _portal.GetAsync("/api/v1/ledger/trial-balance")).Json();
        Assert.True(balance.GetProperty("balanced").GetBoolean());
        Assert.Contains(balance.GetProperty("accounts").EnumerateArray(), a => a.GetProperty("account").GetString() == "suspense:refund-review");
    }

    [Fact]
    public async Task Cancelling_a_paid_order_is_refused()
    {
        var id = await _portal.PayAsync("FLOW-PAID-CANCEL");
        var res = await _portal.PostAsync($"/api/v1/payment-orders/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, res.StatusCode);
        Assert.Equal("order_already_paid", (await res.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Orders_are_listed_by_dossier_code()
    {
        await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "FLOW-LIST"));
        await _portal.CreateOrderAsync(Wire.OrderBody(dossier: "FLOW-LIST"));
        var list = await (await _portal.GetAsync("/api/v1/payment-orders?dossierCode=FLOW-LIST")).Json();
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_fee_catalogue_lists_code_name_kind_amount_agency_and_legal_basis()
    {
        var fees = await (await _portal.GetAsync("/api/v1/fees")).Json();
        var licence = fees.GetProperty("items").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "GPLX-CAP");
        Assert.Equal("le_phi", licence.GetProperty("kind").GetString());
        Assert.Equal(135_000, licence.GetProperty("amount").GetProperty("value").GetInt64());
        Assert.Equal(ApiFactory.Agency, licence.GetProperty("agencyCode").GetString());
        Assert.False(string.IsNullOrEmpty(licence.GetProperty("legalBasis").GetString()));
        Assert.Equal("phi", fees.GetProperty("items").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "LLTP").GetProperty("kind").GetString());
    }
}
