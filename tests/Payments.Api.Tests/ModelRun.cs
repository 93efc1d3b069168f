using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Domain.Ledger;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;

namespace Payments.Api.Tests;

/// <summary>What a generated step does; <see cref="Step.Pick"/> and <see cref="Step.Variant"/> choose the target and the flavour.</summary>
public enum Op
{
    Create, StartAttempt, PayAtWallet, DeclineAtWallet, SignedIpn, RepeatedIpn, ForgedIpn, WrongAmountIpn,
    Cancel, Expire, TimePasses, Refund, CounterPayment, CancelReceipt, ReplaceReceipt,
}

public sealed record Step(Op Op, int Pick, int Variant)
{
    public override string ToString() => $"{Op}({Pick},{Variant})";
}

/// <summary>The model did not match the service (or an invariant broke).</summary>
public sealed class ModelMismatchException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One generated sequence against the real API, in an agency of its own (own API key, fees copied from the demo
/// catalogue, own receipt series and ledger), so sequences — and FsCheck's shrunk replays — never see each other's data.
/// Each operation predicts the answer from the model, sends the request, compares, then updates the model.
/// </summary>
internal sealed partial class ModelRun
{
    private static int _transactionNumbers;

    private readonly ApiFactory _api;
    private readonly HttpClient _portal, _wallet;
    private readonly string[] _fees;
    private int _keys;

    public PaymentsModel Model { get; }
    public string Agency { get; }
    /// <summary>What each step did, for the failure message.</summary>
    public List<string> Trace { get; } = [];

    private ModelRun(ApiFactory api, int run)
    {
        _api = api;
        Agency = $"000.00.77.M{run:D4}";
        var key = $"pk_test_model_run_{run:D6}";
        var demo = api.Db(db => db.Fees.AsNoTracking().Where(f => f.AgencyCode == ApiFactory.Agency).OrderBy(f => f.Code).ToList());
        var fees = demo.Select(f => new Domain.Fees.FeeItem($"{f.Code}@{run}", f.Name, f.Kind, f.Amount, f.LegalBasis, Agency,
            f.OnlineDiscountPercent, f.DiscountFrom, f.DiscountUntil)).ToList();
        // Series symbols are unique across agencies: letters of the run's own ("MA", "MB", … "MAA", …).
        var letters = "M" + string.Concat(run.ToString().Select(d => (char)('A' + d - '0')));
        api.AddAgency(Agency, $"Model run {run}", key, fees, scopes: "portal finance", seriesLetters: letters);
        Model = new PaymentsModel(letters);
        _fees = fees.Select(f => f.Code).ToArray();
        _portal = Guarded(key);
        _wallet = Guarded(null);
    }

    public static ModelRun Start(ApiFactory api, int run) => new(api, run);

    private DateTimeOffset Now => _api.Clock.GetUtcNow();

    /// <summary>Runs one step; returns what it did and which orders it touched (null: possibly all of them).</summary>
    public Task<(string Did, IReadOnlyList<ModelOrder>? Touched)> ApplyAsync(Step s) => s.Op switch
    {
        Op.Create => CreateAsync(s),
        Op.StartAttempt => StartAttemptAsync(s),
        Op.PayAtWallet => AtWalletAsync(s, pay: true),
        Op.DeclineAtWallet => AtWalletAsync(s, pay: false),
        Op.SignedIpn => SignedIpnAsync(s),
        Op.RepeatedIpn => RepeatedIpnAsync(s),
        Op.ForgedIpn or Op.WrongAmountIpn => RejectedIpnAsync(s),
        Op.Cancel => CancelAsync(s),
        Op.Expire or Op.TimePasses => LetTimePassAsync(s),
        Op.Refund => RefundAsync(s),
        Op.CounterPayment => CounterPaymentAsync(s),
        Op.CancelReceipt or Op.ReplaceReceipt => CorrectReceiptAsync(s),
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    private static (string, IReadOnlyList<ModelOrder>?) Did(string what, params ModelOrder[] touched) => (what, touched);

    public const string Skipped = "skipped: ";

    private static (string, IReadOnlyList<ModelOrder>?) Skip(string why) => (Skipped + why, []);

    /// <summary>Mostly an order the operation makes sense for, sometimes any order (to see the refusals).</summary>
    private ModelOrder? PickOrder(Step s, Func<ModelOrder, bool> fits)
    {
        var fitting = Model.Orders.Where(fits).ToList();
        var from = fitting.Count > 0 && s.Pick % 10 < 9 ? fitting : Model.Orders;
        return from.Count == 0 ? null : from[s.Pick / 10 % from.Count];
    }

    private string NewKey() => $"{Agency}-k{++_keys}";

    private static string NewTransactionNo() => $"5{Interlocked.Increment(ref _transactionNumbers):D11}";

    // ---- orders ----

    private static object Body(string dossier, string fee, int quantity, string channel, string agency) =>
        Wire.OrderBody(dossier: dossier, fee: fee, quantity: quantity, channel: channel, agency: agency);

    private async Task<(string, IReadOnlyList<ModelOrder>?)> CreateAsync(Step s)
    {
        var earlier = PickOrder(s, _ => true);
        if (earlier is not null && s.Variant % 10 == 0)
        {
            var replay = await _portal.SendAsync(Wire.CreateOrder(earlier.Body, earlier.Key));
            var view = await Expect(replay, HttpStatusCode.Created);
            Check(view.GetProperty("id").GetString() == earlier.Id && replay.Headers.Contains("Idempotent-Replayed"),
                $"the same key and body must replay {earlier}, got {view}");
            return Did($"create replayed with {earlier}'s key → same order", earlier);
        }
        if (earlier is not null && s.Variant % 10 == 1)
        {
            var changed = JsonSerializer.SerializeToNode(earlier.Body, Wire.JsonOptions)!;
            changed["fees"]![0]!["quantity"] = changed["fees"]![0]!["quantity"]!.GetValue<int>() + 1;
            await ExpectProblem(await _portal.SendAsync(Wire.CreateOrder(changed, earlier.Key)), 422, "idempotency_key_reused", $"changed body with {earlier}'s key");
            return Did($"create with {earlier}'s key and a changed body → 422", earlier);
        }

        var index = Model.Orders.Count;
        var (fee, quantity, channel) = (_fees[s.Variant % _fees.Length], 1 + s.Variant / 10 % 3, s.Variant / 30 % 4 == 0 ? "counter" : "online");
        var body = Body($"{Agency}-HS-{index:D4}", fee, quantity, channel, Agency);
        var key = NewKey();
        var created = await Expect(await _portal.SendAsync(Wire.CreateOrder(body, key)), HttpStatusCode.Created);
        var amount = created.GetProperty("amount").GetProperty("value").GetInt64();
        var expiresAt = created.GetProperty("expiresAt").GetDateTimeOffset();
        Check(amount >= 0 && expiresAt > Now, $"a new order costs something and expires later: {created}");
        var order = new ModelOrder(index, created.GetProperty("id").GetString()!, key, body, amount, expiresAt);
        Model.Orders.Add(order);
        Check(created.GetProperty("status").GetString() == order.Status.ToSnakeCase(), $"new {order} answered status {created.GetProperty("status")}");
        return Did($"create {fee} ×{quantity} {channel} → {order}", order);
    }

    private async Task<(string, IReadOnlyList<ModelOrder>?)> StartAttemptAsync(Step s)
    {
        if (PickOrder(s, o => o.IsOpen && Now < o.ExpiresAt) is not { } order) return Skip("no order");
        var res = await _portal.PostAsJsonAsync($"/api/v1/payment-orders/{order.Id}/attempts", new { provider = "sandbox" });
        if (!order.IsOpen) return Did(await ExpectProblem(res, 409, "order_not_payable", order), order);
        if (Now >= order.ExpiresAt) return Did(await ExpectProblem(res, 409, "order_expired", order), order);

        var view = await Expect(res, HttpStatusCode.Created);
        var expiresAt = Now + PaymentsModel.AttemptWindow < order.ExpiresAt ? Now + PaymentsModel.AttemptWindow : order.ExpiresAt;
        Check(view.GetProperty("expiresAt").GetDateTimeOffset() == expiresAt, $"attempt window: expected {expiresAt:O}, got {view.GetProperty("expiresAt")}");
        foreach (var a in order.Attempts.Where(a => a.Status == AttemptStatus.Pending)) a.Status = AttemptStatus.Superseded;
        var attempt = new ModelAttempt(order.Attempts.Count, view.GetProperty("providerReference").GetString()!,
            new Uri(view.GetProperty("redirectUrl").GetString()!), expiresAt);
        order.Attempts.Add(attempt);
        order.Status = OrderStatus.AwaitingPayment;
        return Did($"start {attempt} on {order}", order);
    }

    private async Task<(string, IReadOnlyList<ModelOrder>?)> CancelAsync(Step s)
    {
        if (PickOrder(s, o => o.IsOpen) is not { } order) return Skip("no order");
        var res = await _portal.PostAsync($"/api/v1/payment-orders/{order.Id}/cancel", null);
        if (order.IsCollected) return Did(await ExpectProblem(res, 409, "order_already_paid", order), order);
        if (!order.IsOpen) return Did(await ExpectProblem(res, 409, "illegal_transition", order), order);
        await Expect(res, HttpStatusCode.OK);
        order.Status = OrderStatus.Cancelled;
        return Did($"cancel {order}", order);
    }

    /// <summary>
    /// Expire: the clock jumps past a chosen open order's expiry and the grace period of its attempts; time passes:
    /// some minutes. Either way the janitor sweeps (until it has nothing left to do: other sequences' orders share it).
    /// </summary>
    private async Task<(string, IReadOnlyList<ModelOrder>?)> LetTimePassAsync(Step s)
    {
        var target = s.Op == Op.Expire ? PickOrder(s, o => o.IsOpen) : null;
        var until = target is { IsOpen: true } ? target.ExpiresAt + PaymentsModel.AbandonAfter + TimeSpan.FromMinutes(1)
            : Now + TimeSpan.FromMinutes(s.Op == Op.Expire ? 100 : 1 + s.Variant % 40);
        if (until > Now) _api.Clock.Advance(until - Now);
        for (var sweeps = 0; sweeps < 20; sweeps++)
            if (await _api.SweepAsync() is { Confirmed: 0, Failed: 0, Abandoned: 0, Expired: 0 }) break;
        // What the janitor may act on: open orders and undecided attempts (the final check looks at everything).
        var touched = Model.Orders.Where(o => o.IsOpen || o.Attempts.Any(a => a.IsUndecided)).ToList();
        Model.Sweep(Now);
        return ($"{(target is null ? "time passes" : $"clock past expiry of {target}")} to {Now:MM-dd HH:mm}, janitor sweeps", touched);
    }

    // ---- money back, the desk, receipts ----

    private async Task<(string, IReadOnlyList<ModelOrder>?)> RefundAsync(Step s)
    {
        if (PickOrder(s, o => o.Status is OrderStatus.Paid or OrderStatus.PartiallyRefunded && o.Amount > 0) is not { } order) return Skip("no order");
        var flavour = s.Variant % 6;
        if (flavour == 4 && order.Refunds.Count > 0)
        {
            var (oldKey, oldAmount, oldExpected, answer) = order.Refunds[^1];
            var again = await RefundAndCounterTests.RefundAsync(_portal, order.Id, oldAmount, oldKey, oldExpected);
            var replayed = await again.Content.ReadAsStringAsync();
            Check(again.StatusCode == HttpStatusCode.Created && replayed == answer,
                $"a retried refund of {order} must replay its first answer {answer}, got {(int)again.StatusCode} {replayed}");
            return Did($"refund of {oldAmount:N0} retried with its key on {order} → replayed", order);
        }
        var refundable = order.Refundable;
        var amount = Math.Max(1_000, flavour switch
        {
            0 => refundable > 0 ? refundable : order.Amount,
            3 => refundable + 1_000,
            _ => refundable / (2 + s.Variant % 3) / 1_000 * 1_000,
        });
        long? expected = flavour switch { 1 => refundable, 5 => refundable + 1_000, _ => null };
        var key = NewKey();
        var res = await RefundAndCounterTests.RefundAsync(_portal, order.Id, amount, key, expected);
        var asked = $"refund {amount:N0} (expecting {expected?.ToString("N0") ?? "—"}) of {order}";
        if (order.Status is not (OrderStatus.Paid or OrderStatus.PartiallyRefunded) || order.Amount == 0)
            return Did(await ExpectProblem(res, 409, "order_not_refundable", asked), order);
        if (expected is { } e && e != refundable) return Did(await ExpectProblem(res, 412, "refundable_changed", asked), order);
        if (amount > refundable) return Did(await ExpectProblem(res, 409, "refund_exceeds_payment", asked), order);

        // Through the receipt's transaction; with the receipt cancelled, through one of the successful ones.
        List<ModelAttempt> through = order.ValidReceipt is { } receipt ? [receipt.Attempt] : [.. order.Attempts.Where(a => a.Status == AttemptStatus.Succeeded)];
        if (through.All(a => !a.Refunds) || (through.Any(a => !a.Refunds) && res.StatusCode != HttpStatusCode.Created))
            return Did(await ExpectProblem(res, 422, "refund_rejected", asked + " (the wallet never saw that payment)"), order);
        var view = await Expect(res, HttpStatusCode.Created);
        order.Refunded += amount;
        order.Status = order.Refunded == order.Amount ? OrderStatus.Refunded : OrderStatus.PartiallyRefunded;
        order.Post(LedgerKind.Refund);
        order.Refunds.Add((key, amount, expected, view.GetRawText()));
        Same(order.Status.ToSnakeCase(), view.GetProperty("orderStatus").GetString(), asked);
        Same(order.Refundable, view.GetProperty("refundable").GetProperty("value").GetInt64(), asked + ": refundable after");
        return Did($"{asked} → 201 {order}", order);
    }

    private async Task<(string, IReadOnlyList<ModelOrder>?)> CounterPaymentAsync(Step s)
    {
        if (PickOrder(s, o => o.IsOpen) is not { } order) return Skip("no order");
        var counted = s.Variant % 6 == 0 ? order.Amount + 5_000 : order.Amount;
        var res = await _portal.SendAsync(RefundAndCounterTests.Post($"/api/v1/payment-orders/{order.Id}/counter-payments",
            RefundAndCounterTests.Cash(amount: counted), NewKey()));
        if (counted != order.Amount) return Did(await ExpectProblem(res, 422, "amount_mismatch", order), order);
        if (!order.IsOpen) return Did(await ExpectProblem(res, 409, "order_not_payable", order), order);
        if (Now >= order.ExpiresAt) return Did(await ExpectProblem(res, 409, "order_expired", order), order);
        await Expect(res, HttpStatusCode.Created);
        var before = order.ToString();
        foreach (var a in order.Attempts.Where(a => a.Status == AttemptStatus.Pending)) a.Status = AttemptStatus.Superseded;
        var cash = new ModelAttempt(order.Attempts.Count, "counter", page: null, Now);
        order.Attempts.Add(cash);
        Model.Succeed(order, cash, walletKnows: false, Now);
        return Did($"cash at the desk for {before} → {order}", order);
    }

    private async Task<(string, IReadOnlyList<ModelOrder>?)> CorrectReceiptAsync(Step s)
    {
        var replace = s.Op == Op.ReplaceReceipt;
        if (PickOrder(s, o => o.ValidReceipt is not null) is not { } order || order.Receipts.Count == 0) return Skip("no receipt");
        var receipt = order.ValidReceipt ?? order.Receipts[s.Variant % order.Receipts.Count];
        Check(receipt.Id is not null, $"receipt {receipt} of {order} was never shown by the service");
        var reason = s.Variant % 5 == 0 ? "" : "Sai thông tin người nộp";
        var res = await _portal.PostAsJsonAsync($"/api/v1/receipts/{receipt.Id}/{(replace ? "replace" : "cancel")}", new { reason });
        var asked = $"{(replace ? "replace" : "cancel")} receipt {receipt} of {order}";
        if (reason == "") return Did(await ExpectProblem(res, 400, "reason_required", asked + " without a reason"), order);
        if (receipt.Status != ReceiptStatus.Valid) return Did(await ExpectProblem(res, 409, "receipt_not_valid", asked), order);

        var view = await Expect(res, replace ? HttpStatusCode.Created : HttpStatusCode.OK);
        if (replace)
        {
            receipt.Status = ReceiptStatus.Replaced;
            var next = Model.Issue(receipt.Attempt, Now);
            next.Id = view.GetProperty("id").GetString();
            order.Receipts.Add(next);
            order.Post(LedgerKind.ReceiptReplaced);
            Same(receipt.Id, view.GetProperty("replaces").GetString(), asked + ": replaces");
            Same((next.Series, next.Number), (view.GetProperty("series").GetString(), view.GetProperty("number").GetInt32()), asked + ": new number");
            return Did($"{asked} → {next}", order);
        }
        receipt.Status = ReceiptStatus.Cancelled;
        order.RefundReview = true;
        order.Post(LedgerKind.ReceiptCancelled);
        Same((receipt.Number, "cancelled"), (view.GetProperty("number").GetInt32(), view.GetProperty("status").GetString()), asked);
        return Did($"{asked} → cancelled", order);
    }
}
