using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Callbacks;
using Payments.Api.Features.PaymentOrders;
using Payments.Api.Features.Receipts;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Ledger;
using Payments.Domain.Orders;
using Payments.Domain.Reconciliation;

namespace Payments.Api.Features.Reconciliation;

/// <param name="Action">link (to an open order: pays it), refund (held money to refund review), write_off (ask), approve_write_off (finance).</param>
/// <param name="Order">For link: the order's dossier code or payment code.</param>
public sealed record ResolveBody(string? Action, string? Reason, string? Order);

/// <summary>A cashier or finance resolves one reconciliation item of their agency, with a reason; audited, never deleted.</summary>
public sealed record ResolveItem(CallingClient Caller, Guid ItemId, ResolveBody Body, bool MayApprove) : ICommand<Result<ReconciliationItemView>>;

public sealed class ResolveItemHandler(PaymentsDbContext db, ReceiptIssuer receipts, TimeProvider clock, Infrastructure.Telemetry.PaymentsMetrics metrics) : ICommandHandler<ResolveItem, Result<ReconciliationItemView>>
{
    public async ValueTask<Result<ReconciliationItemView>> Handle(ResolveItem cmd, CancellationToken ct)
    {
        var item = await db.ItemsOf(cmd.Caller.AgencyCode).FirstOrDefaultAsync(i => i.Id == cmd.ItemId, ct);
        if (item is null)
            return Error.NotFound("item_not_found", "No such reconciliation item for this agency.");
        var before = JsonSerializer.Serialize(ReconciliationItemView.From(item));
        var now = clock.GetUtcNow();
        var who = cmd.Caller.Actor;
        var reason = cmd.Body.Reason ?? "";
        var reference = item.BankTxnId;
        Result<bool> done;
        switch (cmd.Body.Action)
        {
            case "refund":
                done = item.Resolve(ReconciliationResolution.MarkedForRefund, reason, who, now);
                if (done.IsSuccess) db.LedgerTransactions.Add(Accounts.ForHeldToRefund(item.Held, reference, now).ForAgency(cmd.Caller.AgencyCode));
                break;
            case "write_off":
                done = item.RequestWriteOff(reason, who);
                break;
            case "approve_write_off":
                if (!cmd.MayApprove) return Error.Forbidden("finance_only", "Only finance approves a write-off.");
                done = item.Resolve(ReconciliationResolution.WrittenOff, string.IsNullOrWhiteSpace(reason) ? item.ResolutionReason ?? "" : reason, who, now);
                if (done.IsSuccess && !(item.Held.IsZero && item.Shortfall.IsZero))
                    db.LedgerTransactions.Add(Accounts.ForWriteOff(item.Held, item.Shortfall, item.Source, reference, now).ForAgency(cmd.Caller.AgencyCode));
                break;
            case "link":
                var linked = await LinkAsync(item, cmd, reason, now, ct);
                if (!linked.IsSuccess) return linked.Error!;
                done = true;
                break;
            default:
                return Error.Validation("invalid_action", "Action is one of link, refund, write_off, approve_write_off.");
        }
        if (!done.IsSuccess) return done.Error!;
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = who, Action = $"reconciliation.{cmd.Body.Action}", EntityType = "reconciliation-item", EntityId = item.Id.ToString(),
            AgencyCode = cmd.Caller.AgencyCode, Reason = reason, BeforeJson = before, AfterJson = JsonSerializer.Serialize(ReconciliationItemView.From(item)),
        });
        return ReconciliationItemView.From(item);
    }

    /// <summary>The money paid an open order after all (a mistyped code): the hold is reversed and the order is paid as usual.</summary>
    private async Task<Result> LinkAsync(ReconciliationItem item, ResolveItem cmd, string reason, DateTimeOffset now, CancellationToken ct)
    {
        if (item.Kind != ReconciliationKind.UnknownCredit || item.Held.IsZero || item.Status != ReconciliationStatus.Open)
            return Error.Conflict("cannot_link", "Only an open unknown credit can be linked to an order.");
        var key = cmd.Body.Order?.Trim() ?? "";
        var code = key.ToUpperInvariant();
        var agency = cmd.Caller.AgencyCode;
        var byCode = db.Attempts.Where(a => a.ProviderReference == code).Select(a => a.OrderId);
        var id = await db.Orders.Where(o => o.AgencyCode == agency && (o.DossierCode == key || byCode.Contains(o.Id)))
            .OrderByDescending(o => o.CreatedAt).Select(o => o.Id).FirstOrDefaultAsync(ct);
        var order = id == default ? null : await db.LocateAsync(OrderLocator.ForClient(id.Value, agency), ct);
        if (order is null) return Error.NotFound("order_not_found", "No order of this agency has that dossier or payment code.");
        if (!OrderTransitions.IsOpen(order.Status))
            return Error.Conflict("order_not_payable", $"The order is {order.Status.ToSnakeCase()}: mark the money for refund instead.");
        if (order.Amount != item.Held)
            return Error.Unprocessable("amount_mismatch", $"The order is {order.Amount.Minor} đồng and the credit {item.Held.Minor}: mark it for refund instead.");

        var attempt = order.Attempts.LastOrDefault(a => a.Provider == item.Source && a.IsUndecided);
        if (attempt is null)
        {
            var started = order.StartAttempt(item.Source, "LNK" + Tokens.NewCode(10), now);
            if (!started.IsSuccess) return started.Error!;
            attempt = started.Value;
        }
        var success = order.RecordSuccess(attempt.Id, item.BankTxnId, now);
        if (!success.IsSuccess) return success.Error!;
        var receipt = await receipts.IssueAsync(order, attempt, "system", now, ct);
        if (!receipt.IsSuccess) return receipt.Error!;
        db.LedgerTransactions.Add(Accounts.ForHeldToOrder(order.Id, item.Held, item.Source, item.BankTxnId, now).ForAgency(order.AgencyCode));
        db.LedgerTransactions.Add(Accounts.ForPayment(order, item.Source, now));
        db.Outbox.Add(OrderEvents.Event("payment_order.paid", order, receipt.Value, now));
        db.AfterCommit(() => metrics.OrderPaid(item.Source));
        return item.Resolve(ReconciliationResolution.LinkedToOrder, reason, cmd.Caller.Actor, now, order.Id) is { IsSuccess: false } r ? r.Error! : Result.Ok();
    }
}

public sealed class ResolveItemValidator : AbstractValidator<ResolveItem>
{
    public ResolveItemValidator()
    {
        RuleFor(c => c.Body.Action).Must(a => a is "link" or "refund" or "write_off" or "approve_write_off").WithErrorCode("invalid_action")
            .WithMessage("Action is one of link, refund, write_off, approve_write_off.");
        RuleFor(c => c.Body.Reason).NotEmpty().When(c => c.Body.Action != "approve_write_off").WithErrorCode("reason_required")
            .WithMessage("Say why: the reason is kept in the audit trail.");
        RuleFor(c => c.Body.Reason).MaximumLength(500).WithErrorCode("reason_too_long");
        RuleFor(c => c.Body.Order).NotEmpty().When(c => c.Body.Action == "link").WithErrorCode("order_required")
            .WithMessage("Name the order by its dossier code or payment code.");
    }
}

internal static class ReconciliationQueries
{
    /// <summary>
    /// Items an agency sees: those its statements found, and those the bank's notification held for its orders or for no
    /// order at all (money on the collection account that any agency's cashier may place).
    /// </summary>
    public static IQueryable<ReconciliationItem> ItemsOf(this PaymentsDbContext db, string agency)
    {
        var imports = db.StatementImports.Where(i => i.AgencyCode == agency).Select(i => (Guid?)i.Id);
        return db.ReconciliationItems.Where(i => (i.StatementImportId != null && imports.Contains(i.StatementImportId))
            || (i.StatementImportId == null && (i.OrderId == null || db.Orders.Any(o => o.Id == i.OrderId && o.AgencyCode == agency))));
    }
}
