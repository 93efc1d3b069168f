using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;

namespace Payments.Api.Infrastructure.Pipeline;

/// <summary>
/// One transaction per command: the handler changes tracked entities, this saves and commits them together, or
/// rolls all of it back when the handler returns a failure. When the store refuses a write because another request
/// won a race (unique index, concurrency token), the whole command runs again on fresh state and sees the winner.
/// </summary>
public sealed class TransactionBehavior<TMessage, TResponse>(PaymentsDbContext db, IWriteGate gate, ILogger<TransactionBehavior<TMessage, TResponse>> log)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    private const int MaxRuns = 4;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        for (var run = 1; ; run++)
        {
            using var _ = await gate.EnterAsync(ct);
            db.RolledBack(); // a pooled context starts clean, whatever an earlier request left
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var response = await next(message, ct);
                if (response is IOutcome { IsSuccess: false })
                {
                    await tx.RollbackAsync(ct);
                    db.ChangeTracker.Clear();
                    db.RolledBack();
                    return response;
                }
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                db.Committed();
                return response;
            }
            catch (DbUpdateException ex) when (run < MaxRuns && IsLostRace(ex))
            {
                log.LogInformation("{Command} lost a write race (run {Run}); running it again on fresh state", typeof(TMessage).Name, run);
                await tx.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                db.RolledBack();
            }
        }
    }

    private static bool IsLostRace(DbUpdateException ex) =>
        ex is DbUpdateConcurrencyException || StoreErrors.IsUniqueViolation(ex);
}
