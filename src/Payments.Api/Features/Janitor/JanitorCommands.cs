using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Callbacks;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Orders;

namespace Payments.Api.Features.Janitor;

/// <summary>An attempt its provider never decided and no longer knows: failed as abandoned.</summary>
public sealed record AbandonAttempt(Guid AttemptId) : ICommand<Result<bool>>;

public sealed class AbandonAttemptHandler(PaymentsDbContext db, TimeProvider clock) : ICommandHandler<AbandonAttempt, Result<bool>>
{
    public async ValueTask<Result<bool>> Handle(AbandonAttempt cmd, CancellationToken ct)
    {
        var id = new PaymentAttemptId(cmd.AttemptId);
        var orderId = await db.Attempts.Where(a => a.Id == id).Select(a => a.OrderId).SingleAsync(ct);
        var order = await db.Orders.Include(o => o.Attempts).SingleAsync(o => o.Id == orderId, ct);
        if (!order.FindAttempt(id).IsUndecided) return false; // decided meanwhile (a late IPN won): nothing to do
        var result = order.AbandonAttempt(id, clock.GetUtcNow());
        return result.IsSuccess ? true : result.Error!;
    }
}

public sealed class AbandonAttemptValidator : AbstractValidator<AbandonAttempt>
{
    public AbandonAttemptValidator() => RuleFor(c => c.AttemptId).NotEmpty();
}

/// <summary>An open order past its expiry with no attempt that may still bring money.</summary>
public sealed record ExpireOrder(Guid OrderId) : ICommand<Result<bool>>;

public sealed class ExpireOrderHandler(PaymentsDbContext db, TimeProvider clock) : ICommandHandler<ExpireOrder, Result<bool>>
{
    public async ValueTask<Result<bool>> Handle(ExpireOrder cmd, CancellationToken ct)
    {
        var order = await db.Orders.Include(o => o.Attempts).SingleAsync(o => o.Id == new PaymentOrderId(cmd.OrderId), ct);
        var now = clock.GetUtcNow();
        if (!order.CanExpire(now)) return false;
        var result = order.Expire(now);
        if (!result.IsSuccess) return result.Error!;
        db.Outbox.Add(OrderEvents.Event("payment_order.expired", order, null, now));
        return true;
    }
}

public sealed class ExpireOrderValidator : AbstractValidator<ExpireOrder>
{
    public ExpireOrderValidator() => RuleFor(c => c.OrderId).NotEmpty();
}
