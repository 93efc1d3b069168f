using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Domain.Common;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;

namespace Payments.Api.Tests;

/// <summary>The comparisons with the model and the invariants that hold whatever the model says.</summary>
internal sealed partial class ModelRun
{
    private readonly List<string> _badResponses = [];

    private HttpClient Guarded(string? key)
    {
        var client = _api.CreateDefaultClient(new ResponseGuard(_badResponses));
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>After a step: the touched orders (all when null), the agency's books and receipt numbers, the answers.</summary>
    public async Task CheckAsync(IReadOnlyList<ModelOrder>? touched)
    {
        Check(_badResponses.Count == 0, "bad answers: " + string.Join("; ", _badResponses));
        foreach (var order in touched ?? Model.Orders) await CheckOrderAsync(order);
        await CheckBooksAsync();
    }

    /// <summary>At the end of a sequence: every order, and every journal entry of the agency.</summary>
    public async Task CheckEverythingAsync()
    {
        await CheckAsync(null);
        var entries = _api.Db(db => db.LedgerTransactions.AsNoTracking().Include(t => t.Postings).Where(t => t.AgencyCode == Agency).ToList());
        foreach (var t in entries)
            Check(t.Postings.Sum(p => p.Debit.Minor) == t.Postings.Sum(p => p.Credit.Minor), $"journal entry {t.Id} ({t.Kind}) is unbalanced");
        Same(Model.Orders.Sum(o => o.Ledger.Values.Sum()), entries.Count, "journal entries of the agency");
    }

    private async Task CheckOrderAsync(ModelOrder order)
    {
        var view = await Expect(await _portal.GetAsync($"/api/v1/payment-orders/{order.Id}"), HttpStatusCode.OK);
        var status = view.GetProperty("status").GetString();
        Same(order.Status.ToSnakeCase(), status, $"{order}: status");
        Same(order.RefundReview, view.GetProperty("requiresRefundReview").GetBoolean(), $"{order}: requiresRefundReview");
        Same(order.Amount, view.GetProperty("amount").GetProperty("value").GetInt64(), $"{order}: amount");
        var shown = view.TryGetProperty("receipt", out var r) && r.ValueKind == JsonValueKind.Object ? r : (JsonElement?)null;
        var valid = order.ValidReceipt;
        Same(valid is null ? "none" : $"{valid.Series}-{valid.Number}",
            shown is { } s ? $"{s.GetProperty("series").GetString()}-{s.GetProperty("number").GetInt32()}" : "none", $"{order}: receipt shown");
        if (valid is not null && shown is { } v)
        {
            valid.Id ??= v.GetProperty("id").GetString();
            Same(valid.Id, v.GetProperty("id").GetString(), $"{order}: receipt id");
        }

        var id = new PaymentOrderId(Guid.Parse(order.Id));
        var (receipts, refunds, entries, attempts) = _api.Db(db => (
            db.Receipts.Where(x => x.OrderId == id).Select(x => new { x.Series, x.Number, x.Status }).ToList(),
            db.Refunds.Where(x => x.OrderId == id).AsEnumerable().Select(x => x.Amount.Minor).ToList(),
            db.LedgerTransactions.AsNoTracking().Include(t => t.Postings).Where(t => t.OrderId == id).ToList(),
            db.Attempts.Where(a => a.OrderId == id).Select(a => new { a.Provider, a.ProviderReference, a.Status }).ToList()));

        // Whatever the model says: at most one valid receipt, and exactly one on a paid order unless finance cancelled it.
        var validCount = receipts.Count(x => x.Status == ReceiptStatus.Valid);
        var collected = status is "paid" or "partially_refunded" or "refunded" && order.Amount > 0;
        Check(validCount <= 1 && (!collected || validCount == 1 || receipts.Any(x => x.Status == ReceiptStatus.Cancelled)),
            $"{order}: {validCount} valid receipts ({string.Join(", ", receipts)})");
        Check(refunds.Sum() <= order.Amount, $"{order}: refunds {refunds.Sum():N0} exceed the payment");
        foreach (var t in entries)
            Check(t.Postings.Sum(p => p.Debit.Minor) == t.Postings.Sum(p => p.Credit.Minor), $"{order}: journal entry {t.Kind} is unbalanced");

        Same(Sorted(order.Receipts.Select(x => $"{x.Series}-{x.Number} {x.Status}")), Sorted(receipts.Select(x => $"{x.Series}-{x.Number} {x.Status}")),
            $"{order}: receipts");
        Same(order.Refunded, refunds.Sum(), $"{order}: refunded");
        Same(Sorted(order.Ledger.Select(k => $"{k.Key}×{k.Value}")), Sorted(entries.GroupBy(t => t.Kind).Select(g => $"{g.Key}×{g.Count()}")),
            $"{order}: journal entries");
        Same(Sorted(order.Attempts.Select(a => $"{a.Reference} {a.Status}")),
            Sorted(attempts.Select(a => $"{(a.Provider == PaymentAttempt.CounterProvider ? "counter" : a.ProviderReference)} {a.Status}")),
            $"{order}: attempts");
    }

    /// <summary>The agency's ledger balances; each series' numbers are 1..N, N being what the model issued.</summary>
    private async Task CheckBooksAsync()
    {
        var balance = await Expect(await _portal.GetAsync("/api/v1/ledger/trial-balance"), HttpStatusCode.OK);
        Check(balance.GetProperty("balanced").GetBoolean(), $"the trial balance is not balanced: {balance}");
        var numbers = _api.Db(db => db.Receipts.Where(x => x.AgencyCode == Agency).Select(x => new { x.Series, x.Number }).ToList());
        foreach (var series in numbers.GroupBy(x => x.Series))
        {
            var got = series.Select(x => x.Number).Order().ToList();
            Check(got.SequenceEqual(Enumerable.Range(1, got.Count)), $"receipt numbers of {series.Key} are not 1..{got.Count}: {string.Join(",", got)}");
        }
        Same(Sorted(Model.Issued.Select(x => $"{x.Key}:{x.Value}")), Sorted(numbers.GroupBy(x => x.Series).Select(g => $"{g.Key}:{g.Count()}")),
            "receipts issued per series");
    }

    private static string Sorted(IEnumerable<string> items) => "[" + string.Join(", ", items.Order(StringComparer.Ordinal)) + "]";

    private static void Check(bool condition, string message)
    {
        if (!condition) throw new ModelMismatchException(message);
    }

    private static void Same<T>(T expected, T actual, string what) =>
        Check(EqualityComparer<T>.Default.Equals(expected, actual), $"{what}: expected {expected}, got {actual}");

    private static async Task<JsonElement> Expect(HttpResponseMessage res, HttpStatusCode status)
    {
        var body = await res.Content.ReadAsStringAsync();
        Check(res.StatusCode == status, $"{res.RequestMessage?.Method} {res.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)status}, got {(int)res.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Checks a refusal; returns what happened, for the trace.</summary>
    private static async Task<string> ExpectProblem(HttpResponseMessage res, int status, string code, object asked)
    {
        var body = await res.Content.ReadAsStringAsync();
        var got = res.StatusCode == (HttpStatusCode)status && JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
        Check(got == code, $"{asked}: expected {status} {code}, got {(int)res.StatusCode} {body}");
        return $"{asked} → {status} {code}";
    }
}

/// <summary>Every answer is below 500, and every 4xx is a ProblemDetails with a code (collected, checked after the step).</summary>
internal sealed class ResponseGuard(List<string> bad) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var res = await base.SendAsync(request, ct);
        var status = (int)res.StatusCode;
        if (status < 400) return res;
        var body = await res.Content.ReadAsStringAsync(ct);
        if (status >= 500 || res.Content.Headers.ContentType?.MediaType != "application/problem+json" || !HasCode(body))
            bad.Add($"{request.Method} {request.RequestUri?.PathAndQuery} → {status} {res.Content.Headers.ContentType} {body}");
        return res;
    }

    private static bool HasCode(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement is { ValueKind: JsonValueKind.Object } root
                   && root.TryGetProperty("code", out var code) && !string.IsNullOrEmpty(code.GetString());
        }
        catch (JsonException) { return false; }
    }
}
