using System.Net;
using System.Net.Http.Json;
using Payments.Domain.Ledger;
using UglyToad.PdfPig;

namespace Payments.Api.Tests;

public class ReceiptCorrectionTests
{
    private static async Task<string> ReceiptIdAsync(HttpClient portal, string orderId) =>
        (await portal.GetOrderAsync(orderId)).GetProperty("receipt").GetProperty("id").GetString()!;

    private static async Task<System.Text.Json.JsonElement> TrialBalanceAsync(HttpClient portal) =>
        await (await portal.GetAsync("/api/v1/ledger/trial-balance")).Json();

    [Fact]
    public async Task Cancelling_keeps_the_number_flags_the_money_and_is_audited()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var order = await portal.PayAsync("FIX-CANCEL");
        var rid = await ReceiptIdAsync(portal, order);
        var res = await portal.PostAsJsonAsync($"/api/v1/receipts/{rid}/cancel", new { reason = "Thu nhầm hồ sơ" });
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var body = await res.Json();
        Assert.Equal(("cancelled", 1), (body.GetProperty("status").GetString(), body.GetProperty("number").GetInt32()));
        Assert.True((await portal.GetOrderAsync(order)).GetProperty("requiresRefundReview").GetBoolean());

        var tb = await TrialBalanceAsync(portal);
        Assert.True(tb.GetProperty("balanced").GetBoolean());
        Assert.Contains(tb.GetProperty("accounts").EnumerateArray(), a => a.GetProperty("account").GetString() == Accounts.RefundReview && a.GetProperty("credit").GetInt64() == 135_000);
        var audit = api.Db(db => db.Audit.Single());
        Assert.Equal(("receipt.cancel", "Thu nhầm hồ sơ"), (audit.Action, audit.Reason));
        Assert.Contains("Valid", audit.BeforeJson);
        Assert.Contains("Cancelled", audit.AfterJson);

        Assert.Equal(HttpStatusCode.Conflict, (await portal.PostAsJsonAsync($"/api/v1/receipts/{rid}/cancel", new { reason = "again" })).StatusCode);
        var page = await (await api.Anonymous().GetAsync(new Uri(body.GetProperty("verifyUrl").GetString()!).AbsolutePath)).Content.ReadAsStringAsync();
        Assert.Contains("Đã hủy", page);
    }

    [Fact]
    public async Task Replacing_takes_the_next_number_references_the_original_and_corrects_the_payer()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var first = await portal.PayAsync("FIX-REPLACE");
        await portal.PayAsync("FIX-OTHER");
        var original = await ReceiptIdAsync(portal, first);
        var res = await portal.PostAsJsonAsync($"/api/v1/receipts/{original}/replace",
            new { reason = "Sai tên người nộp", payer = new { fullName = "Nguyễn Văn Anh" } });
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var replacement = await res.Json();
        Assert.Equal(3, replacement.GetProperty("number").GetInt32());
        Assert.Equal(original, replacement.GetProperty("replaces").GetString());
        Assert.Equal(replacement.GetProperty("id").GetString(), await ReceiptIdAsync(portal, first));

        var old = await (await portal.GetAsync($"/api/v1/receipts/{original}")).Json();
        Assert.Equal(("replaced", 1), (old.GetProperty("status").GetString(), old.GetProperty("number").GetInt32()));
        var page = await (await api.Anonymous().GetAsync(new Uri(old.GetProperty("verifyUrl").GetString()!).AbsolutePath)).Content.ReadAsStringAsync();
        Assert.Contains("Đã bị thay thế bởi biên lai", page);

        var pdfBytes = await (await portal.GetAsync(new Uri(replacement.GetProperty("pdfUrl").GetString()!).AbsolutePath)).Content.ReadAsByteArrayAsync();
        using var pdf = PdfDocument.Open(pdfBytes);
        var text = string.Concat(pdf.GetPage(1).GetWords().Select(w => w.Text));
        Assert.Contains("NguyễnVănAnh", text);
        Assert.Contains("Thaythếchobiênlai", text);
        Assert.True((await TrialBalanceAsync(portal)).GetProperty("balanced").GetBoolean());
        Assert.Equal([1, 2, 3], api.Db(db => db.Receipts.Select(r => r.Number).ToList()).Order());
    }

    [Fact]
    public async Task Numbers_stay_gapless_across_corrections_and_concurrent_payments()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        var orders = new List<string>();
        for (var i = 0; i < 6; i++) orders.Add(await portal.PayAsync($"FIX-MIX-{i}"));
        var receipts = await Task.WhenAll(orders.Take(3).Select(o => ReceiptIdAsync(portal, o)));
        var work = new List<Task>
        {
            portal.PostAsJsonAsync($"/api/v1/receipts/{receipts[0]}/replace", new { reason = "r" }),
            portal.PostAsJsonAsync($"/api/v1/receipts/{receipts[1]}/cancel", new { reason = "c" }),
            portal.PostAsJsonAsync($"/api/v1/receipts/{receipts[2]}/replace", new { reason = "r" }),
        };
        work.AddRange(Enumerable.Range(0, 6).Select(i => portal.PayAsync($"FIX-MIX-LATE-{i}")));
        await Task.WhenAll(work);
        Assert.Equal(Enumerable.Range(1, 14), api.Db(db => db.Receipts.Select(r => r.Number).ToList()).Order());
    }

    [Fact]
    public async Task Only_finance_may_correct_and_a_reason_is_required()
    {
        using var api = new ApiFactory();
        api.AddOtherAgencyClient();
        var portal = api.Portal();
        var rid = await ReceiptIdAsync(portal, await portal.PayAsync("FIX-AUTH"));
        var other = await api.Portal(ApiFactory.OtherAgencyKey).PostAsJsonAsync($"/api/v1/receipts/{rid}/cancel", new { reason = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsJsonAsync($"/api/v1/receipts/{rid}/cancel", new { reason = "x" })).StatusCode);
        var noReason = await portal.PostAsJsonAsync($"/api/v1/receipts/{rid}/cancel", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("reason_required", (await noReason.Json()).GetProperty("code").GetString());
        Assert.Equal("valid", (await (await portal.GetAsync($"/api/v1/receipts/{rid}")).Json()).GetProperty("status").GetString());
    }
}
