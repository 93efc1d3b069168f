using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Ledger;
using Payments.Domain.Reconciliation;
using Payments.Providers.Contract;

namespace Payments.Api.Features.Callbacks;

/// <summary>
/// Bank credits that arrived but cannot pay an order as they stand (no known payment code, or not the amount due)
/// become reconciliation items with a suspense posting: the money is on the books, never silently dropped.
/// </summary>
public sealed class UnmatchedCredits(PaymentsDbContext db, TimeProvider clock, ILogger<UnmatchedCredits> log)
{
    /// <summary>A repeated bank transaction id changes nothing, matched or not.</summary>
    public async Task<bool> AlreadyHeldAsync(string provider, BankCredit credit, CancellationToken ct) =>
        await db.ReconciliationItems.AnyAsync(i => i.Source == provider && i.BankTxnId == credit.BankTxnId, ct)
        || await db.Attempts.AnyAsync(a => a.Provider == provider && a.ProviderTransactionId == credit.BankTxnId, ct);

    /// <param name="agencyCode">The order's agency when the credit names one; empty (the province's collection account) otherwise.</param>
    public CallbackResult Hold(string provider, ProviderNotification n, PaymentOrderId? orderId, Money? expected, bool duplicate = false, string agencyCode = "")
    {
        var credit = n.Credit!;
        var amount = n.Amount!.Value;
        var now = clock.GetUtcNow();
        var kind = duplicate ? ReconciliationKind.DuplicateCredit : orderId is null ? ReconciliationKind.UnknownCredit : ReconciliationKind.AmountMismatch;
        db.ReconciliationItems.Add(new ReconciliationItem(provider, credit.BankTxnId, credit.Account, amount, credit.Content, credit.BookedAt,
            kind, orderId, expected, now));
        db.LedgerTransactions.Add(Accounts.ForUnmatchedCredit(orderId, amount, provider, credit.BankTxnId, now).ForAgency(agencyCode));
        log.LogWarning("Held {Provider} credit {BankTxnId} of {Amount} as {Kind} for a cashier", provider, credit.BankTxnId, amount.Minor, kind);
        return CallbackResult.Confirmed;
    }
}
