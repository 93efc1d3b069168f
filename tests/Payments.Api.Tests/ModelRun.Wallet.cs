using System.Net;
using Payments.Domain.Orders;

namespace Payments.Api.Tests;

/// <summary>The wallet's side: its hosted page, and notifications genuine, repeated, forged or tampered with.</summary>
internal sealed partial class ModelRun
{
    /// <summary>A wallet attempt that <paramref name="fits"/>, on an open order when <paramref name="preferOpen"/> (mostly).</summary>
    private (ModelOrder Order, ModelAttempt Attempt)? PickAttempt(Step s, Func<ModelAttempt, bool> fits, bool preferOpen = false)
    {
        bool Has(ModelOrder o) => o.Attempts.Any(a => !a.IsCounter && fits(a));
        var open = preferOpen && s.Variant % 10 < 6 && Model.Orders.Any(o => o.IsOpen && Has(o));
        if (PickOrder(s, o => Has(o) && (!open || o.IsOpen)) is not { } order) return null;
        var attempts = order.Attempts.Where(a => !a.IsCounter && fits(a)).ToList();
        if (attempts.Count == 0) attempts = order.Attempts.Where(a => !a.IsCounter).ToList();
        return attempts.Count == 0 ? null : (order, attempts[s.Variant % attempts.Count]);
    }

    /// <summary>The payer presses a button on the simulated wallet's page; the wallet then sends its signed IPN.</summary>
    private async Task<(string, IReadOnlyList<ModelOrder>?)> AtWalletAsync(Step s, bool pay)
    {
        if (PickAttempt(s, a => pay ? a.Status != AttemptStatus.Succeeded : a.IsUndecided, preferOpen: true) is not (var order, var attempt)
            || (pay ? attempt.Status == AttemptStatus.Succeeded : !attempt.IsUndecided))
            return Skip("no attempt");
        var outcome = pay ? "success" : s.Variant % 2 == 0 ? "failure" : "cancel";
        var res = await VnptPayAndJanitorTests.PressAsync(_wallet, attempt.Page!, outcome);
        Check(res.StatusCode == HttpStatusCode.Redirect, $"the wallet page answered {(int)res.StatusCode}");
        var before = $"{attempt} of {order}";
        if (!pay)
        {
            order.Fail(attempt, outcome == "cancel" ? AttemptStatus.CancelledByPayer : AttemptStatus.Failed);
            return Did($"{outcome} at the wallet for {before}", order);
        }
        return Did($"pay at the wallet {before} → {Model.Succeed(order, attempt, walletKnows: true, Now)}", order);
    }

    /// <summary>A genuine IPN with a new transaction number: pays, or is a late/duplicate payment, or repeats a decided attempt.</summary>
    private async Task<(string, IReadOnlyList<ModelOrder>?)> SignedIpnAsync(Step s)
    {
        if (PickAttempt(s, _ => true) is not (var order, var attempt)) return Skip("no attempt");
        var txn = NewTransactionNo();
        var code = await _wallet.SendIpnAsync(Wire.Ipn(attempt.Reference, order.Amount * 100, txn));
        var before = $"{attempt} of {order}";
        if (attempt.Status == AttemptStatus.Succeeded)
        {
            Same("02", code, $"a new transaction for the already successful {attempt} of {order}");
            return Did($"IPN {txn} for succeeded {attempt} of {order} → 02", order);
        }
        var outcome = Model.Succeed(order, attempt, walletKnows: false, Now);
        Same(outcome == SuccessOutcome.DuplicatePayment ? "02" : "00", code, $"IPN {txn} for {before} ({outcome})");
        return Did($"IPN {txn} for {before} → {code} {outcome}", order);
    }

    /// <summary>A successful transaction's IPN again: to its own attempt, or claimed for another attempt.</summary>
    private async Task<(string, IReadOnlyList<ModelOrder>?)> RepeatedIpnAsync(Step s)
    {
        if (PickAttempt(s, a => a.Status == AttemptStatus.Succeeded) is not (var order, var paid) || paid.Status != AttemptStatus.Succeeded)
            return Skip("no successful wallet payment");
        var txn = _api.Db(db => db.Attempts.Where(a => a.ProviderReference == paid.Reference).Select(a => a.ProviderTransactionId).Single())!;
        var others = Model.Orders.SelectMany(o => o.Attempts.Where(a => !a.IsCounter && a.Status != AttemptStatus.Succeeded).Select(a => (o, a))).ToList();
        var (to, target) = s.Variant % 2 == 1 && others.Count > 0 ? others[s.Variant / 2 % others.Count] : (order, paid);
        Same("02", await _wallet.SendIpnAsync(Wire.Ipn(target.Reference, to.Amount * 100, txn)), $"transaction {txn} of {paid} again, for {target} of {to}");
        return Did($"IPN again: transaction {txn} of {order} {paid} for {target} of {to} → 02", order, to);
    }

    /// <summary>Forged (another secret), tampered after signing, unknown reference, or a well-signed wrong amount.</summary>
    private async Task<(string, IReadOnlyList<ModelOrder>?)> RejectedIpnAsync(Step s)
    {
        if (PickAttempt(s, a => a.IsUndecided) is not (var order, var attempt)) return Skip("no attempt");
        var (amount, txn) = (order.Amount * 100, NewTransactionNo());
        var (what, query, expected) = s.Op == Op.WrongAmountIpn
            ? s.Variant % 2 == 0 ? ("amount without ×100", Wire.Ipn(attempt.Reference, order.Amount, txn), "04")
                                 : ("amount 1 đồng more", Wire.Ipn(attempt.Reference, amount + 100, txn), "04")
            : (s.Variant % 3) switch
            {
                0 => ("forged signature", Wire.Ipn(attempt.Reference, amount, txn, secret: "an-attackers-guess-0123456789"), "97"),
                1 => ("amount tampered after signing", Wire.Ipn(attempt.Reference, amount, txn).Replace($"vnp_Amount={amount}&", $"vnp_Amount={amount + 1_000_000}&"), "97"),
                _ => ("unknown reference", Wire.Ipn("PAY000000" + txn, amount, txn), "01"),
            };
        Same(expected, await _wallet.SendIpnAsync(query), $"{what} for {attempt} of {order}");
        return Did($"{what} IPN for {attempt} of {order} → {expected}", order);
    }
}
