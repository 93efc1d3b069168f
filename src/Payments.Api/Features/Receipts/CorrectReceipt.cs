using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Callbacks;
using Payments.Api.Features.PaymentOrders;
using Payments.Api.Infrastructure;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Ledger;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.Receipts;

public sealed record PayerCorrection(string? FullName, string? Address, string? IdNumber);

public sealed record CorrectionBody(string? Reason, PayerCorrection? Payer);

/// <summary>Finance cancels a receipt (kept, marked cancelled) or replaces it (the next number, referencing it).</summary>
public sealed record CorrectReceipt(CallingClient Client, Guid ReceiptId, bool Replace, CorrectionBody Body) : ICommand<Result<ReceiptView>>;

public sealed class CorrectReceiptHandler(PaymentsDbContext db, ReceiptIssuer issuer, PublicUrls urls, TimeProvider clock)
    : ICommandHandler<CorrectReceipt, Result<ReceiptView>>
{
    public async ValueTask<Result<ReceiptView>> Handle(CorrectReceipt cmd, CancellationToken ct)
    {
        var id = new ReceiptId(cmd.ReceiptId);
        var receipt = await db.Receipts.FirstOrDefaultAsync(r => r.Id == id && r.AgencyCode == cmd.Client.AgencyCode, ct);
        if (receipt is null) return Error.NotFound("receipt_not_found", "No such receipt.");
        var order = (await db.LocateAsync(OrderLocator.ForClient(receipt.OrderId.Value, cmd.Client.AgencyCode), ct))!;
        var now = clock.GetUtcNow();
        var reason = cmd.Body.Reason!.Trim();
        var before = Snapshot(receipt);
        var label = $"{receipt.Series}-{receipt.DisplayNumber}";

        Receipt result;
        if (!cmd.Replace)
        {
            var cancelled = receipt.Cancel(reason, now);
            if (!cancelled.IsSuccess) return cancelled.Error!;
            order.FlagForRefundReview();
            db.LedgerTransactions.Add(Accounts.ForReceiptCancelled(order, label, now));
            db.Outbox.Add(OrderEvents.Event("receipt.cancelled", order, receipt, now));
            result = receipt;
        }
        else
        {
            if (receipt.Status != ReceiptStatus.Valid) return Error.Conflict("receipt_not_valid", $"The receipt is {receipt.Status.ToString().ToLowerInvariant()}.");
            var p = cmd.Body.Payer;
            var corrected = p is null ? null : new ReceiptPayer(p.FullName?.Trim() ?? receipt.PayerName, p.Address ?? receipt.PayerAddress, p.IdNumber ?? receipt.PayerIdNumber);
            var issued = await issuer.IssueAsync(order, order.Attempts.FirstOrDefault(a => a.Id == receipt.AttemptId), receipt.Collector, now, ct, receipt, corrected);
            if (!issued.IsSuccess) return issued.Error!;
            receipt.ReplaceWith(issued.Value, reason, now);
            // The old receipt leaves "valid" before the new one enters: one valid receipt per order, at every instant.
            await db.SaveChangesAsync(ct);
            db.Receipts.Add(issued.Value);
            db.LedgerTransactions.Add(Accounts.ForReceiptReplaced(order, label, $"{issued.Value.Series}-{issued.Value.DisplayNumber}", now));
            db.Outbox.Add(OrderEvents.Event("receipt.replaced", order, issued.Value, now));
            result = issued.Value;
        }
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = cmd.Client.Actor, Action = cmd.Replace ? "receipt.replace" : "receipt.cancel",
            EntityType = "receipt", EntityId = receipt.Id.ToString(), AgencyCode = receipt.AgencyCode, BeforeJson = before, AfterJson = Snapshot(receipt)
                + (cmd.Replace ? $" → {Snapshot(result)}" : ""), Reason = reason,
        });
        return GetReceiptHandler.From(result, urls);
    }

    private static string Snapshot(Receipt r) => JsonSerializer.Serialize(new
    {
        id = r.Id.Value, r.Series, r.Number, status = r.Status.ToString(), r.PayerName, r.PayerAddress, r.CancelReason, replacedBy = r.ReplacedById?.Value,
    }, Json.Web);
}

public sealed class CorrectReceiptValidator : AbstractValidator<CorrectReceipt>
{
    public CorrectReceiptValidator()
    {
        RuleFor(c => c.Body.Reason).NotEmpty().WithErrorCode("reason_required").WithMessage("A reason is required.").MaximumLength(500);
        RuleFor(c => c.Body.Payer).Null().When(c => !c.Replace).WithErrorCode("payer_only_on_replace")
            .WithMessage("Payer corrections come with a replacement.");
        RuleFor(c => c.Body.Payer!.IdNumber).Must(Domain.Orders.Payer.IsValidCccd).When(c => c.Body.Payer?.IdNumber is not null)
            .WithErrorCode("invalid_id_number");
        RuleFor(c => c.Body.Payer!.FullName).MaximumLength(200).When(c => c.Body.Payer is not null);
    }
}

internal static class CorrectReceiptEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var finance = app.MapGroup("/api/v1/receipts").RequireAuthorization(PaymentsApiSetup.FinancePolicy).WithTags("Finance API");
        finance.MapPost("/{id:guid}/cancel", (Guid id, CorrectionBody body, HttpContext http, ISender sender, CancellationToken ct) => Send(id, false, body, http, sender, ct))
            .WithName("CancelReceipt").WithSummary("Cancel a receipt (finance scope, reason required; the number stays used)")
            .Produces<ReceiptView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        finance.MapPost("/{id:guid}/replace", (Guid id, CorrectionBody body, HttpContext http, ISender sender, CancellationToken ct) => Send(id, true, body, http, sender, ct))
            .WithName("ReplaceReceipt").WithSummary("Replace a receipt by a new one with the next number (finance scope, reason required)")
            .Produces<ReceiptView>(201).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> Send(Guid id, bool replace, CorrectionBody body, HttpContext http, ISender sender, CancellationToken ct) =>
        (await sender.Send(new CorrectReceipt(CallingClient.From(http.User), id, replace, body), ct))
        .Map(r => replace ? Results.Created($"/api/v1/receipts/{r.Id}", r) : Results.Ok(r));
}
