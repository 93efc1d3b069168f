using Microsoft.EntityFrameworkCore;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>Start-up's writes of what the store must hold (roles, demo data): new rows only, in one transaction.</summary>
internal static class Seeding
{
    /// <summary>
    /// Writes <paramref name="rows"/> (new entities) in one transaction: on SQLite as plain inserts (<see cref="RowInserter"/>),
    /// so start-up does not warm EF's change tracker and save pipeline up for a dozen rows; elsewhere with EF's save.
    /// </summary>
    public static async Task InsertAsync(PaymentsDbContext db, IReadOnlyCollection<object> rows)
    {
        if (rows.Count == 0) return;
        foreach (var row in rows) db.Insert(row);
        await using var transaction = await db.Database.BeginTransactionAsync();
        try
        {
            await db.SaveAllAsync(CancellationToken.None);
            await transaction.CommitAsync();
            db.Committed();
        }
        catch
        {
            db.RolledBack();
            throw;
        }
    }
}
