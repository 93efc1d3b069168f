using System.Text.Json;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Receipts;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Ledger;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;
using Payments.Providers.Contract;

namespace Payments.Api.Features.Callbacks;

/// <summary>A verified provider notification, applied exactly once.</summary>
public sealed record ApplyProviderNotification(string Provider, ProviderNotification Notification) : ICommand<Result<CallbackResult>>,
    Infrastructure.Pipeline.IOptimisticCommand;

/// <summary>
/// Order of checks as the wallet contract demands: (signature already verified) → known reference → amount →
/// already applied → apply. Paid is one transaction: order, attempt, receipt number, ledger postings, outbox.
/// Optimistic (ADR-0021): the checks and the order's change run outside the writers' queue on committed state; a
/// duplicate racing the first loses at save on the order's concurrency token (or the transaction-number index) and runs
/// again to answer "already confirmed". The receipt number, the signed receipt, the postings and the event are made in
/// the writer's turn (<see cref="PaymentsDbContext.BeforeSave"/>), where the series' counter is current.
/// </summary>
public sealed class ApplyProviderNotificationHandler(PaymentsDbContext db, ReceiptIssuer receipts, UnmatchedCredits credits, TimeProvider clock,
    Infrastructure.Telemetry.PaymentsMetrics metrics,
    ILogger<ApplyProviderNotificationHandler> log) : ICommandHandler<ApplyProviderNotification, Result<CallbackResult>>
{
    // The callback's reads, compiled once: on every payment EF would otherwise walk and look up each query's expression
    // tree again (ADR-0025). Same LINQ, same SQL. The two SQLite runs on every payment are also kept prepared (ADR-0028).
    private static readonly Func<PaymentsDbContext, string, string, CancellationToken, Task<PaymentAttempt?>> AttemptByReference =
        EF.CompileAsyncQuery((PaymentsDbContext db, string provider, string reference, CancellationToken ct) =>
            db.Attempts.AsNoTracking().FirstOrDefault(a => a.Provider == provider && a.ProviderReference == reference));

    // One round trip: an order has a few lines and a few attempts, so the joined rows stay few.
    private static readonly Func<PaymentsDbContext, PaymentOrderId, CancellationToken, Task<PaymentOrder>> OrderWithLinesAndAttempts =
        EF.CompileAsyncQuery((PaymentsDbContext db, PaymentOrderId id, CancellationToken ct) =>
            db.Orders.Include(o => o.Lines).Include(o => o.Attempts).AsSingleQuery().First(o => o.Id == id));

    // On SQLite, the attempt's order with its lines and attempts in one round: the attempt's order id is a scalar
    // subquery on the (provider, reference) index, then the order comes by its key.
    private static readonly Func<PaymentsDbContext, string, string, CancellationToken, Task<PaymentOrder?>> OrderByAttemptReference =
        EF.CompileAsyncQuery((PaymentsDbContext db, string provider, string reference, CancellationToken ct) =>
            db.Orders.TagWith(PreparedQueries.Tag).Include(o => o.Lines).Include(o => o.Attempts).AsSingleQuery()
                .FirstOrDefault(o => o.Id == db.Attempts.Where(a => a.Provider == provider && a.ProviderReference == reference)
                    .Select(a => a.OrderId).FirstOrDefault()));

    private static readonly Func<PaymentsDbContext, string, string, CancellationToken, Task<bool>> TransactionSeen =
        EF.CompileAsyncQuery((PaymentsDbContext db, string provider, string txn, CancellationToken ct) =>
            db.Attempts.TagWith(PreparedQueries.Tag).Any(a => a.Provider == provider && a.ProviderTransactionId == txn));

    public async ValueTask<Result<CallbackResult>> Handle(ApplyProviderNotification cmd, CancellationToken ct)
    {
        var n = cmd.Notification;
        // A bank credit may carry several look-alike codes in its hand-typed content: the first we know wins.
        var references = n.Credit is { Candidates.Count: > 0 } c ? c.Candidates : [n.ProviderReference];
        // One reference (a wallet's) is a plain equality; a list becomes a JSON parameter SQLite has to unpack.
        var reference = references.Count == 1 ? references[0] : null;
        // SQLite takes no row locks (one writer): a single reference brings the order, its lines and attempts in one query.
        // The server stores read the order only once its row is locked (below), so they look the attempt up on its own.
        PaymentOrder? loaded = null;
        PaymentAttempt? found;
        if (reference is not null && db.Store == StoreKind.Sqlite)
        {
            loaded = await OrderByAttemptReference(db, cmd.Provider, reference, ct);
            found = loaded?.Attempts.FirstOrDefault(a => a.Provider == cmd.Provider && a.ProviderReference == reference);
        }
        else found = reference is not null
            ? await AttemptByReference(db, cmd.Provider, reference, ct)
            : (await db.Attempts.AsNoTracking()
                    .Where(a => a.Provider == cmd.Provider && references.Contains(a.ProviderReference)).ToListAsync(ct))
                .OrderBy(a => references.ToList().IndexOf(a.ProviderReference)).FirstOrDefault();
        if (n.Credit is { } credit && await credits.AlreadyHeldAsync(cmd.Provider, credit, ct)) return CallbackResult.AlreadyConfirmed;
        if (found is null)
            return n.Credit is null ? CallbackResult.NotFound : credits.Hold(cmd.Provider, n, null, null);
        // Compared in our units: the adapter already undid the provider's ×100.
        if (n.Amount is not { } amount || amount != found.Amount)
            return n.Credit is null || n.Amount is null ? CallbackResult.InvalidAmount : credits.Hold(cmd.Provider, n, found.OrderId, found.Amount,
                agencyCode: loaded?.AgencyCode ?? await db.Orders.Where(o => o.Id == found.OrderId).Select(o => o.AgencyCode).FirstAsync(ct));

        await db.LockOrderAsync(found.OrderId, ct);
        var order = loaded ?? await OrderWithLinesAndAttempts(db, found.OrderId, ct);
        var attempt = order.FindAttempt(found.Id);
        var now = clock.GetUtcNow();

        if (n.Outcome != NotificationOutcome.Succeeded)
        {
            if (!attempt.IsUndecided) return CallbackResult.AlreadyConfirmed;
            order.RecordFailure(attempt.Id, n.ProviderCode, n.Outcome == NotificationOutcome.CancelledByPayer, now);
            db.AfterCommit(() => metrics.AttemptFailed(cmd.Provider, n.Outcome == NotificationOutcome.CancelledByPayer));
            return CallbackResult.Confirmed;
        }

        if (attempt.Status == AttemptStatus.Succeeded)
            // The same provider transaction again is a repeat; a second bank transfer with the same code is more money.
            return n.Credit is { } again && attempt.ProviderTransactionId != again.BankTxnId
                ? credits.Hold(cmd.Provider, n, order.Id, attempt.Amount, duplicate: true, agencyCode: order.AgencyCode)
                : CallbackResult.AlreadyConfirmed;
        if (n.ProviderTransactionId is not { } txn) return CallbackResult.Error;
        if (await TransactionSeen(db, cmd.Provider, txn, ct))
            return CallbackResult.AlreadyConfirmed;

        var outcome = order.RecordSuccess(attempt.Id, txn, now).Value;
        if (outcome == SuccessOutcome.Paid)
        {
            db.BeforeSave(async turn =>
            {
                var receipt = await receipts.IssueAsync(order, attempt, "system", now, turn);
                // Without a receipt number the payment cannot be recorded: nothing is saved, the provider retries.
                if (!receipt.IsSuccess) throw new InvalidOperationException($"Cannot issue a receipt for order {order.Id}: {receipt.Error!.Code}");
                db.Insert(Accounts.ForPayment(order, cmd.Provider, now));
                db.Insert(OrderEvents.Event("payment_order.paid", order, receipt.Value, now));
            });
            db.AfterCommit(() => metrics.OrderPaid(cmd.Provider));
            return CallbackResult.Confirmed;
        }

        log.LogWarning("Order {OrderId} received money it cannot keep ({Outcome}); held for refund review", order.Id, outcome);
        db.LedgerTransactions.Add(Accounts.ForRefundReview(order, amount, cmd.Provider, now));
        db.Outbox.Add(OrderEvents.Event("payment_order.refund_review", order, null, now));
        return outcome == SuccessOutcome.DuplicatePayment ? CallbackResult.AlreadyConfirmed : CallbackResult.Confirmed;
    }
}
