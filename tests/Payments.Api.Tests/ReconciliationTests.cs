using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Domain.Reconciliation;

namespace Payments.Api.Tests;

/// <summary>Statement import and matching through the finance API on a real SQLite file, and resolving what it finds.</summary>
public class ReconciliationTests
{
    private static async Task<(string OrderId, string Code, long Amount)> PayByTransferAsync(ApiFactory api, string dossier, string txn)
    {
        var portal = api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: dossier));
        var id = order.GetProperty("id").GetString()!;
        var attempt = await (await portal.PostAsJsonAsync($"/api/v1/payment-orders/{id}/attempts", new { provider = "vietqr" })).Json();
        var code = attempt.GetProperty("providerReference").GetString()!;
        var amount = order.GetProperty("amount").GetProperty("value").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await CreditAsync(api, txn, amount, $"NOP PHI {code}")).StatusCode);
        Assert.Equal("paid", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
        return (id, code, amount);
    }

    private static async Task<(string OrderId, string Code, long Amount)> AwaitingTransferAsync(ApiFactory api, string dossier)
    {
        var portal = api.Portal();
        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: dossier));
        var id = order.GetProperty("id").GetString()!;
        var attempt = await (await portal.PostAsJsonAsync($"/api/v1/payment-orders/{id}/attempts", new { provider = "vietqr" })).Json();
        return (id, attempt.GetProperty("providerReference").GetString()!, order.GetProperty("amount").GetProperty("value").GetInt64());
    }

    private static async Task<HttpResponseMessage> CreditAsync(ApiFactory api, string txn, long amount, string content)
    {
        var body = JsonSerializer.Serialize(new { bankTxnId = txn, account = ApiFactory.VietQrAccount, amount, content, bookedAt = api.Clock.GetUtcNow() });
        var req = new HttpRequestMessage(HttpMethod.Post, "/callbacks/vietqr") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        req.Headers.Add("X-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ApiFactory.NotifySecret), Encoding.UTF8.GetBytes(body))));
        return await api.Anonymous().SendAsync(req);
    }

    internal static async Task<HttpResponseMessage> ImportAsync(HttpClient finance, string csv, string? format = null, string name = "statement.csv")
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", name);
        if (format is not null) form.Add(new StringContent(format), "format");
        return await finance.PostAsync("/api/v1/reconciliation/statements", form);
    }

    private static string Generic(params (string Txn, DateTimeOffset At, long Amount, string Content)[] lines) =>
        "bankTxnId,bookedAt,amount,content,account\n" + string.Concat(lines.Select(l =>
            $"{l.Txn},{l.At.ToOffset(TimeSpan.FromHours(7)):yyyy-MM-ddTHH:mm:sszzz},{l.Amount},\"{l.Content}\",{ApiFactory.VietQrAccount}\n"));

    private static int Count(JsonElement result, string outcome) => result.GetProperty("counts").GetProperty(outcome).GetInt32();

    [Fact]
    public async Task A_statement_is_classified_and_the_same_file_again_changes_nothing()
    {
        using var api = new ApiFactory();
        var now = api.Clock.GetUtcNow();
        var paid = await PayByTransferAsync(api, "REC-MATCH", "FT001");
        var short1 = await PayByTransferAsync(api, "REC-SHORT", "FT002");
        var missing = await PayByTransferAsync(api, "REC-MISSING", "FT003");
        var csv = Generic(
            ("FT001", now, paid.Amount, $"NOP PHI {paid.Code}"),                 // matched by transaction id
            ("BANK-77", now, short1.Amount - 5_000, $"nop phi {short1.Code.ToLowerInvariant()}"), // by hand-typed code, 5.000 short
            ("BANK-78", now, paid.Amount, $"CHUYEN KHOAN {paid.Code}"),           // same code again: money twice
            ("BANK-79", now, 250_000, "UNG HO QUY"),                             // nobody's
            ("BANK-80", now, -30_000, "PHI DICH VU NGAN HANG"));                 // a debit: not a payment

        var first = await ImportAsync(api.Portal(), csv);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var r = await first.Json();
        Assert.Equal((1, 1, 1, 1, 1, 1), (Count(r, "matched"), Count(r, "amountMismatch"), Count(r, "unknownCredit"), Count(r, "missingCredit"),
            Count(r, "duplicate"), Count(r, "ignored")));
        var unresolved = r.GetProperty("unresolved").EnumerateArray().ToList();
        Assert.Equal(4, unresolved.Count);
        Assert.Contains(unresolved, i => i.GetProperty("kind").GetString() == "missing_credit" && i.GetProperty("orderId").GetString() == missing.OrderId
                                          && i.GetProperty("shortfall").GetInt64() == missing.Amount);
        Assert.Contains(unresolved, i => i.GetProperty("kind").GetString() == "amount_mismatch" && i.GetProperty("shortfall").GetInt64() == 5_000);

        var postings = api.Db(db => db.Postings.Count());
        var again = await ImportAsync(api.Portal(), csv, name: "same-file-renamed.csv");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var a = await again.Json();
        Assert.True(a.GetProperty("duplicateFile").GetBoolean());
        Assert.Equal(r.GetProperty("importId").GetString(), a.GetProperty("importId").GetString());
        Assert.Equal((1, 5), (api.Db(db => db.StatementImports.Count()), api.Db(db => db.StatementLines.Count())));
        Assert.Equal(postings, api.Db(db => db.Postings.Count()));

        // An overlapping statement (another file) brings the same bank transactions again: skipped, nothing new.
        var overlap = await (await ImportAsync(api.Portal(), csv + $"BANK-81,{now.ToOffset(TimeSpan.FromHours(7)):yyyy-MM-ddTHH:mm:sszzz},{missing.Amount},\"TT {missing.Code}\",{ApiFactory.VietQrAccount}\n")).Json();
        Assert.Equal((5, 1, 0, 0), (Count(overlap, "alreadyImported"), Count(overlap, "matched"), Count(overlap, "unknownCredit"), Count(overlap, "missingCredit")));
        // …and the missing credit it now shows is closed.
        Assert.Equal(ReconciliationStatus.Resolved, api.Db(db => db.ReconciliationItems.Single(i => i.Kind == ReconciliationKind.MissingCredit).Status));
        AssertBalanced(api);
    }

    [Fact]
    public async Task An_unknown_credit_is_linked_to_the_order_it_was_for_and_pays_it_with_a_receipt()
    {
        using var api = new ApiFactory();
        var waiting = await AwaitingTransferAsync(api, "REC-LINK");
        var r = await (await ImportAsync(api.Portal(), Generic(("BANK-90", api.Clock.GetUtcNow(), waiting.Amount, "NOP LE PHI GPLX NGUYEN VAN AN")))).Json();
        var item = r.GetProperty("unresolved").EnumerateArray().Single();
        Assert.Equal("unknown_credit", item.GetProperty("kind").GetString());
        var itemId = item.GetProperty("id").GetString();

        var noReason = await api.Portal().PostAsJsonAsync($"/api/v1/reconciliation/items/{itemId}/resolve", new { action = "link", order = "REC-LINK" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("reason_required", (await noReason.Json()).GetProperty("code").GetString());
        Assert.Equal("awaiting_payment", (await api.Portal().GetOrderAsync(waiting.OrderId)).GetProperty("status").GetString());

        var linked = await api.Portal().PostAsJsonAsync($"/api/v1/reconciliation/items/{itemId}/resolve",
            new { action = "link", order = "REC-LINK", reason = "Người nộp gõ sai mã, đối chiếu theo tên và số tiền" });
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        Assert.Equal("linked_to_order", (await linked.Json()).GetProperty("resolution").GetString());
        var order = await api.Portal().GetOrderAsync(waiting.OrderId);
        Assert.Equal("paid", order.GetProperty("status").GetString());
        Assert.True(order.GetProperty("receipt").ValueKind == JsonValueKind.Object);
        Assert.Equal(0, api.Db(db => db.Postings.ToList().Where(p => p.Account == Domain.Ledger.Accounts.UnmatchedCredits).Sum(p => p.Credit.Minor - p.Debit.Minor)));
        Assert.Equal(1, api.Db(db => db.Audit.Count(a => a.Action == "reconciliation.link" && a.Reason != null)));
        Assert.Equal(HttpStatusCode.Conflict, (await api.Portal().PostAsJsonAsync($"/api/v1/reconciliation/items/{itemId}/resolve",
            new { action = "refund", reason = "again" })).StatusCode);
        AssertBalanced(api);
    }

    [Fact]
    public async Task A_write_off_needs_a_second_person_and_posts_to_the_ledger()
    {
        using var api = new ApiFactory();
        var r = await (await ImportAsync(api.Portal(), Generic(("BANK-91", api.Clock.GetUtcNow(), 7_000, "KHONG RO NOI DUNG")))).Json();
        var itemId = r.GetProperty("unresolved").EnumerateArray().Single().GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Conflict, (await api.Portal().PostAsJsonAsync($"/api/v1/reconciliation/items/{itemId}/resolve",
            new { action = "approve_write_off", reason = "x" })).StatusCode); // not requested yet
        Assert.Equal(HttpStatusCode.OK, (await api.Portal().PostAsJsonAsync($"/api/v1/reconciliation/items/{itemId}/resolve",
            new { action = "write_off", reason = "Không xác định được người nộp sau 90 ngày" })).StatusCode);
        var self = await api.Portal().PostAsJsonAsync($"/api/v1/reconciliation/items/{itemId}/resolve", new { action = "approve_write_off", reason = "ok" });
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Equal("four_eyes", (await self.Json()).GetProperty("code").GetString());

        api.AddStaff("ke.toan.2@demo.gov.vn", "finance", ApiFactory.Agency);
        var approver = new Infrastructure.Auth.CallingClient(Guid.NewGuid(), ApiFactory.Agency, "Kế toán trưởng", IsStaff: true);
        var approved = await api.Send(new Features.Reconciliation.ResolveItem(approver, Guid.Parse(itemId!), new("approve_write_off", "Duyệt", null), MayApprove: true));
        Assert.True(approved.IsSuccess, approved.Error?.Message);
        Assert.Equal(7_000, api.Db(db => db.Postings.ToList().Where(p => p.Account == Domain.Ledger.Accounts.UnclaimedCredits).Sum(p => p.Credit.Minor)));
        AssertBalanced(api);
    }

    [Fact]
    public async Task Unreadable_files_and_unknown_formats_are_refused_and_nothing_is_written()
    {
        using var api = new ApiFactory();
        var bad = await ImportAsync(api.Portal(), "bankTxnId,bookedAt,amount,content,account\nX1,2026-11-23T10:00:00+07:00,135000,a,1\nX2,not-a-date,135000,b,1\n");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Json();
        Assert.Equal("statement_unreadable", problem.GetProperty("code").GetString());
        Assert.Contains("Row 3", problem.GetProperty("detail").GetString());
        Assert.Equal("unknown_format", (await (await ImportAsync(api.Portal(), "a,b\n", "no-such-bank")).Json()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(api.Portal(ApiFactory.OtherAgencyKey), "x")).StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
            ? HttpStatusCode.Forbidden : HttpStatusCode.OK);
        Assert.Equal((0, 0), (api.Db(db => db.StatementImports.Count()), api.Db(db => db.StatementLines.Count())));
    }

    [Fact]
    public async Task Bank_layouts_with_title_rows_grouped_amounts_and_debit_credit_columns_are_read()
    {
        using var api = new ApiFactory();
        var paid = await PayByTransferAsync(api, "REC-VCB", "FT-VCB-1");
        var day = api.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7));
        var vcb = "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM\nSAO KÊ TÀI KHOẢN\n\n" +
                  "Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Số dư,Mô tả\n" +
                  $"{day:dd/MM/yyyy HH:mm:ss},5220.11,,\"{paid.Amount:#,0}\",\"1,000,000\",\"MBVCB.123 {paid.Code} NOP PHI\"\n" +
                  $"{day:dd/MM/yyyy HH:mm:ss},5220.12,\"11,000\",,\"989,000\",PHI SMS\n";
        var r = await (await ImportAsync(api.Portal(), vcb, "vcb")).Json();
        Assert.Equal((1, 1, 0), (Count(r, "matched"), Count(r, "ignored"), Count(r, "unknownCredit")));

        var tcb = "Ngày;Mã giao dịch;Diễn giải;Nợ;Có;Số dư\n" + $"{day:dd/MM/yyyy HH:mm};FT24001;Chuyen tien ung ho;;50.000;50.000\n";
        var t = await (await ImportAsync(api.Portal(), tcb, "tcb")).Json();
        Assert.Equal((1, 50_000L), (Count(t, "unknownCredit"), t.GetProperty("unresolved")[0].GetProperty("amount").GetInt64()));
    }

    [Fact]
    public async Task A_statement_of_100000_lines_is_imported_in_one_go()
    {
        using var api = new ApiFactory();
        var paid = await PayByTransferAsync(api, "REC-BIG", "FT-BIG-0");
        var now = api.Clock.GetUtcNow();
        var sb = new StringBuilder("bankTxnId,bookedAt,amount,content,account\n");
        sb.Append($"FT-BIG-0,{now:yyyy-MM-ddTHH:mm:ssZ},{paid.Amount},\"{paid.Code}\",{ApiFactory.VietQrAccount}\n");
        for (var i = 1; i < 100_000; i++)
            sb.Append($"BIG-{i:D6},{now.AddSeconds(-i):yyyy-MM-ddTHH:mm:ssZ},{(i % 7 == 0 ? -1 : 1) * (10_000 + i % 500 * 1_000)},\"CK {i}\",{ApiFactory.VietQrAccount}\n");
        var r = await (await ImportAsync(api.Portal(), sb.ToString())).Json();
        Assert.Equal(100_000, r.GetProperty("lines").GetInt32());
        Assert.Equal(1, Count(r, "matched"));
        Assert.Equal(100_000 - 1 - 100_000 / 7, Count(r, "unknownCredit") + 0 * Count(r, "ignored"));
        Assert.Equal(100_000 / 7, Count(r, "ignored"));
        Assert.Equal(100_000, api.Db(db => db.StatementLines.Count()));
        AssertBalanced(api);
    }

    private static void AssertBalanced(ApiFactory api)
    {
        var (debits, credits) = api.Db(db => (db.Postings.ToList().Sum(p => p.Debit.Minor), db.Postings.ToList().Sum(p => p.Credit.Minor)));
        Assert.Equal(debits, credits);
    }

    [Theory]
    [InlineData("stripe", "balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,description,payment_intent_id\ntxn_1,2026-11-23 03:00:00,vnd,135000,0,135000,charge,Dossier 000.00.12.H29-1,pi_3Nx\n",
        "pi_3Nx", "2026-11-23T03:00:00+00:00", 135000)]
    [InlineData("vnptpay", "TransactionNo,TxnRef,Amount,PayDate,Merchant\n14012345,TTABCDEFGH,13500000,20261123100000,VNPTTEST\n",
        "14012345", "2026-11-23T03:00:00+00:00", 135000)]
    public void Provider_settlement_reports_are_read_in_their_own_units_and_time_zones(string format, string csv, string txn, string instant, long amount)
    {
        var line = Features.Reconciliation.StatementReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)),
            Features.Reconciliation.StatementFormat.Presets[format], "default").Single();
        Assert.Equal((txn, DateTimeOffset.Parse(instant), amount), (line.BankTxnId, line.BookedAt, line.Amount));
    }
}
