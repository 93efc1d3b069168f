using FluentValidation;
using Payments.Api.Infrastructure.Pipeline;
using Mediator;
using Payments.Api.Features.Callbacks;
using Payments.Api.Features.PaymentOrders;
using Payments.Api.Features.Receipts;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Ledger;

namespace Payments.Api.Features.Counter;

public sealed record CashierBody(string? Id, string? Name);

/// <param name="Method">cash, pos or wallet_qr (the desk's VNPT Pay QR).</param>
/// <param name="Reference">The POS slip or wallet transaction number; generated for cash.</param>
public sealed record CounterPaymentBody(string? Method, string? Reference, CashierBody? Cashier, long? Amount);

public sealed record RecordCounterPayment(CallingClient Client, Guid OrderId, string IdempotencyKey, CounterPaymentBody Body)
    : ICommand<Result<OrderView>>;

/// <summary>
/// A cashier took the money at the one-stop desk: the same paid transaction as online (receipt with the cashier as
/// collector, journal entry against the desk's clearing account per method, outbox). The cashier's identity comes
/// in the body until staff sign-in exists ([4/8]); the API key limits it to the agency's own orders.
/// </summary>
public sealed class RecordCounterPaymentHandler(PaymentsDbContext db, IdempotencyStore idempotency, ReceiptIssuer receipts,
    PublicUrls urls, TimeProvider clock, IConfiguration config, Infrastructure.Telemetry.PaymentsMetrics metrics) : ICommandHandler<RecordCounterPayment, Result<OrderView>>
{
    public async ValueTask<Result<OrderView>> Handle(RecordCounterPayment cmd, CancellationToken ct)
    {
        if (!config.GetValue<bool>("Payments:Providers:counter:Enabled"))
            return Error.Unprocessable("provider_disabled", "Counter payments are not enabled here.");
        var hash = IdempotencyStore.Hash("counter:" + cmd.OrderId, cmd.Body);
        if (await idempotency.ReplayAsync<OrderView>(cmd.Client.Id, cmd.IdempotencyKey, hash, ct) is { } replay) return replay;

        var order = await db.LocateAsync(OrderLocator.ForClient(cmd.OrderId, cmd.Client.AgencyCode), ct);
        if (order is null) return OrderQueries.OrderNotFound;
        if (cmd.Body.Amount is { } counted && counted != order.Amount.Minor)
            return Error.Unprocessable("amount_mismatch", $"The order is {order.Amount.Minor} đồng, not {counted}.");

        var now = clock.GetUtcNow();
        var method = cmd.Body.Method!;
        var desk = $"{cmd.Body.Cashier!.Name!.Trim()} ({cmd.Body.Cashier.Id!.Trim()})";
        if (await DeskDay.IsClosedAsync(db, order.AgencyCode, desk, DeskDay.Today(clock), ct))
            return Error.Conflict("day_closed", "This desk closed its day: take the payment at another desk or tomorrow.");
        var reference = string.IsNullOrWhiteSpace(cmd.Body.Reference) ? "CTR" + Tokens.NewCode(12) : cmd.Body.Reference.Trim();
        var cashier = desk;
        var attempt = order.RecordCounterPayment(method, reference, cashier, now);
        if (!attempt.IsSuccess) return attempt.Error!;

        var receipt = await receipts.IssueAsync(order, attempt.Value, cashier, now, ct);
        if (!receipt.IsSuccess) return receipt.Error!;
        db.LedgerTransactions.Add(Accounts.ForPayment(order, $"counter:{method}", now));
        db.Outbox.Add(OrderEvents.Event("payment_order.paid", order, receipt.Value, now));
        db.AfterCommit(() => metrics.OrderPaid($"counter:{method}"));
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = cashier, Action = "counter-payment.record", EntityType = "payment-order", EntityId = order.Id.ToString(), AgencyCode = order.AgencyCode,
            BeforeJson = "{\"status\":\"open\"}", AfterJson = $"{{\"status\":\"paid\",\"method\":\"{method}\",\"receipt\":\"{receipt.Value.Series}-{receipt.Value.DisplayNumber}\"}}",
        });
        var view = OrderView.From(order, receipt.Value, urls);
        idempotency.Remember(cmd.Client.Id, cmd.IdempotencyKey, hash, StatusCodes.Status201Created, view, now);
        return view;
    }
}

public sealed class RecordCounterPaymentValidator : AbstractValidator<RecordCounterPayment>
{
    public RecordCounterPaymentValidator()
    {
        RuleFor(c => c.IdempotencyKey).IsIdempotencyKey();
        RuleFor(c => c.Body.Method).Must(m => m is "cash" or "pos" or "wallet_qr").WithErrorCode("invalid_method")
            .WithMessage("method must be cash, pos or wallet_qr.");
        RuleFor(c => c.Body.Reference).NotEmpty().When(c => c.Body.Method is "pos" or "wallet_qr").WithErrorCode("reference_required")
            .MaximumLength(100);
        RuleFor(c => c.Body.Cashier).NotNull().WithErrorCode("cashier_required");
        RuleFor(c => c.Body.Cashier!.Id).NotEmpty().MaximumLength(50).When(c => c.Body.Cashier is not null).WithErrorCode("cashier_required");
        RuleFor(c => c.Body.Cashier!.Name).NotEmpty().MaximumLength(100).When(c => c.Body.Cashier is not null).WithErrorCode("cashier_required");
    }
}

internal static class RecordCounterPaymentEndpoint
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/payment-orders/{id:guid}/counter-payments", async (Guid id,
                [Microsoft.AspNetCore.Mvc.FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CounterPaymentBody body,
                HttpContext http, ISender sender, CancellationToken ct) =>
                (await sender.Send(new RecordCounterPayment(CallingClient.From(http.User), id, idempotencyKey ?? "", body), ct))
                .Map(o => Results.Created($"/api/v1/payment-orders/{id}", o)))
            .WithName("RecordCounterPayment").WithSummary("A cashier records a cash, POS or desk-QR payment")
            .Produces<OrderView>(201).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
}
