using Payments.Api.Infrastructure.Pipeline;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Callbacks;
using Payments.Api.Features.PaymentOrders;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Ledger;
using Payments.Domain.Orders;
using Payments.Providers.Contract;

namespace Payments.Api.Features.Refunds;

/// <param name="Amount">Whole đồng.</param>
/// <param name="ExpectedRefundable">Optional precondition: what the caller believes can still be refunded (412 if not).</param>
public sealed record RefundBody(long Amount, string? Reason, long? ExpectedRefundable);

public sealed record RefundPayment(CallingClient Client, Guid OrderId, string IdempotencyKey, RefundBody Body) : ICommand<Result<RefundView>>;

public sealed record RefundView(Guid Id, Guid OrderId, AmountView Amount, string Provider, string? ProviderRefundId, string Reason,
    string OrderStatus, AmountView Refunded, AmountView Refundable, DateTimeOffset CreatedAt);

/// <summary>
/// Gives money back through the provider that took it, then records it: refund row, order status, a journal entry
/// reversing revenue. The provider call carries a request id derived from the Idempotency-Key, so a retry after a
/// timeout cannot refund twice; if recording fails after the provider agreed, the retry finds the provider's
/// "duplicate request" and records it then.
/// </summary>
public sealed class RefundPaymentHandler(PaymentsDbContext db, IdempotencyStore idempotency, ProviderRegistry providers,
    TimeProvider clock, ILogger<RefundPaymentHandler> log) : ICommandHandler<RefundPayment, Result<RefundView>>
{
    public async ValueTask<Result<RefundView>> Handle(RefundPayment cmd, CancellationToken ct)
    {
        var hash = IdempotencyStore.Hash("refund:" + cmd.OrderId, cmd.Body);
        if (await idempotency.ReplayAsync<RefundView>(cmd.Client.Id, cmd.IdempotencyKey, hash, ct) is { } replay) return replay;

        var order = await db.LocateAsync(OrderLocator.ForClient(cmd.OrderId, cmd.Client.AgencyCode), ct);
        if (order is null) return OrderQueries.OrderNotFound;
        var refundable = order.Amount - order.RefundedAmount;
        if (order.Status is not (OrderStatus.Paid or OrderStatus.PartiallyRefunded) || order.IsExempt)
            return Error.Conflict("order_not_refundable", $"The order is {order.Status.ToSnakeCase()}; only collected money is refunded.");
        if (cmd.Body.ExpectedRefundable is { } expected && expected != refundable.Minor)
            return Error.PreconditionFailed("refundable_changed", $"Refundable is now {refundable.Minor}, not {expected}; read the order again.");

        var amount = Money.Vnd(cmd.Body.Amount);
        var now = clock.GetUtcNow();
        var refundedBefore = order.RefundedAmount;
        var refunded = order.Refund(amount, now);
        if (!refunded.IsSuccess) return refunded.Error!;

        var receipt = await db.ValidReceiptOfAsync(order.Id, ct);
        // The money goes back the way it came: the receipt's attempt, or (its receipt cancelled) the first success — the
        // one that paid; later successes were held for refund review and are returned through that review.
        var attempt = order.Attempts.FirstOrDefault(a => a.Id == receipt?.AttemptId)
            ?? order.Attempts.Where(a => a.Status == AttemptStatus.Succeeded).OrderBy(a => a.CompletedAt).ThenBy(a => a.CreatedAt).First();
        var requestId = IdempotencyStore.Hash("refund-request", new { cmd.Client.Id, cmd.IdempotencyKey })[..32];
        string? providerRefundId = null;
        if (attempt.Provider != PaymentAttempt.CounterProvider)
        {
            if (providers.Find(attempt.Provider).Provider is not IRefundablePaymentProvider refunder
                || !refunder.Capabilities.HasFlag(ProviderCapabilities.Refund))
                return Error.Unprocessable("refund_not_supported", $"Provider '{attempt.Provider}' cannot refund here; refund at the desk.");
            ProviderRefundResult answer;
            try
            {
                answer = await refunder.RefundAsync(new RefundRequest(requestId, attempt.ProviderReference, attempt.ProviderTransactionId!,
                    amount, amount == order.Amount, attempt.CreatedAt, cmd.Client.AgencyCode, cmd.Body.Reason!, now), ct);
            }
            catch (Exception ex) when (ProviderFaults.IsTransient(ex, ct))
            {
                log.LogWarning(ex, "Refund call to {Provider} failed for order {OrderId}", attempt.Provider, order.Id);
                return Error.Unavailable("provider_unavailable", "The provider could not be reached; nothing was refunded. Retry with the same Idempotency-Key.");
            }
            if (answer.State != RefundState.Succeeded)
                return Error.Unprocessable("refund_rejected", $"The provider refused the refund ({answer.RawCode}: {answer.Message}).");
            providerRefundId = answer.ProviderRefundId;
        }

        var refund = new Refund(order.Id, attempt.Id, attempt.Provider, amount, cmd.Body.Reason!, requestId, cmd.Client.AgencyCode, providerRefundId, now);
        db.Refunds.Add(refund);
        db.LedgerTransactions.Add(Accounts.ForRefund(order, amount, refundedBefore, ClearingOf(attempt), now));
        db.Outbox.Add(OrderEvents.Event("payment_order.refunded", order, null, now));
        var remaining = order.Amount - order.RefundedAmount;
        var view = new RefundView(refund.Id, order.Id.Value, AmountView.From(amount), attempt.Provider, providerRefundId, refund.Reason,
            order.Status.ToSnakeCase(), AmountView.From(order.RefundedAmount), AmountView.From(remaining), now.ToVietnam());
        idempotency.Remember(cmd.Client.Id, cmd.IdempotencyKey, hash, StatusCodes.Status201Created, view, now);
        return view;
    }

    /// <summary>The clearing account the payment was posted to (counter payments: per method).</summary>
    internal static string ClearingOf(PaymentAttempt attempt) =>
        attempt.Provider == PaymentAttempt.CounterProvider ? $"counter:{attempt.Method}" : attempt.Provider;
}
