using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Ledger;
using Payments.Domain.Orders;
using Payments.Domain.Reconciliation;

namespace Payments.Api.Features.Counter;

/// <summary>What the desk took today, per method, from the system's own records (counter payments by this cashier).</summary>
public static class DeskDay
{
    public static DateOnly Today(TimeProvider clock) => VietnamTime.DayOf(clock.GetUtcNow());

    public static async Task<IReadOnlyList<ClosedPayment>> PaymentsAsync(PaymentsDbContext db, string agency, string desk, DateOnly day, CancellationToken ct)
    {
        var (since, until) = VietnamTime.Days(day, day);
        var rows = await (from a in db.Attempts.AsNoTracking()
                          join o in db.Orders.AsNoTracking() on a.OrderId equals o.Id
                          where a.Provider == PaymentAttempt.CounterProvider && a.Status == AttemptStatus.Succeeded && a.RecordedBy == desk
                                && o.AgencyCode == agency && a.CreatedAt >= since && a.CreatedAt < until
                          select new { a.Id, a.CreatedAt, o.DossierCode, a.Method, a.Amount }).ToListAsync(ct);
        var attemptIds = rows.Select(r => (PaymentAttemptId?)r.Id).ToList();
        var receipts = (await db.Receipts.AsNoTracking().Where(r => attemptIds.Contains(r.AttemptId)).Select(r => new { r.AttemptId, r.Series, r.Number }).ToListAsync(ct))
            .GroupBy(r => r.AttemptId!.Value).ToDictionary(g => g.Key, g => $"{g.First().Series}-{g.First().Number:0000000}");
        return rows.Select(r => new ClosedPayment(r.CreatedAt, r.DossierCode, r.Method ?? "cash", r.Amount.Minor, receipts.GetValueOrDefault(r.Id))).ToList();
    }

    public static Task<bool> IsClosedAsync(PaymentsDbContext db, string agency, string desk, DateOnly day, CancellationToken ct) =>
        db.DailyCloses.AnyAsync(c => c.AgencyCode == agency && c.Desk == desk && c.Day == day, ct);
}

/// <param name="Counted">Per method (cash, pos, wallet_qr): counted cash, or the terminal's printed total.</param>
public sealed record CloseDesk(CallingClient Caller, string Desk, IReadOnlyDictionary<string, long> Counted, string? Explanation) : ICommand<Result<DailyClose>>;

/// <summary>Closes today's desk: expected vs counted per method, differences explained and posted to cash over/short, the day locked. Audited.</summary>
public sealed class CloseDeskHandler(PaymentsDbContext db, TimeProvider clock) : ICommandHandler<CloseDesk, Result<DailyClose>>
{
    public async ValueTask<Result<DailyClose>> Handle(CloseDesk cmd, CancellationToken ct)
    {
        var agency = cmd.Caller.AgencyCode;
        var day = DeskDay.Today(clock);
        if (await DeskDay.IsClosedAsync(db, agency, cmd.Desk, day, ct)) return Error.Conflict("day_closed", "This desk's day is already closed.");
        var payments = await DeskDay.PaymentsAsync(db, agency, cmd.Desk, day, ct);
        var now = clock.GetUtcNow();
        var close = DailyClose.Create(agency, cmd.Desk, day, payments, cmd.Counted, cmd.Explanation, cmd.Caller.Actor, now);
        if (!close.IsSuccess) return close.Error!;
        db.DailyCloses.Add(close.Value);
        if (Accounts.ForCloseDifference(agency, cmd.Desk, day, close.Value.Lines.Select(l => (l.Method, l.Difference)), now) is { } difference)
            db.LedgerTransactions.Add(difference);
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = cmd.Caller.Actor, Action = "desk.close", EntityType = "daily-close", EntityId = close.Value.Id.ToString(), AgencyCode = agency,
            Reason = close.Value.Explanation.Length > 0 ? close.Value.Explanation : null,
            AfterJson = JsonSerializer.Serialize(new { close.Value.Desk, Day = day.ToString("yyyy-MM-dd"), close.Value.Lines }),
        });
        return close.Value;
    }
}

public sealed class CloseDeskValidator : AbstractValidator<CloseDesk>
{
    public CloseDeskValidator()
    {
        RuleFor(c => c.Desk).NotEmpty().MaximumLength(200);
        RuleForEach(c => c.Counted.Keys).Must(m => m is "cash" or "pos" or "wallet_qr").WithErrorCode("invalid_method").WithMessage("Methods are cash, pos and wallet_qr.");
    }
}
