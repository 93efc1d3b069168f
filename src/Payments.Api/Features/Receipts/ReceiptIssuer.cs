using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.Receipts;

/// <summary>
/// Takes the next number of the agency's active series for the year of issue and adds the receipt to the
/// caller's transaction. Nothing is saved here: the number is spent only if the whole payment commits.
/// </summary>
public sealed class ReceiptIssuer(PaymentsDbContext db, IReceiptIssuerPort issuer)
{
    public async Task<Result<Receipt>> IssueAsync(PaymentOrder order, PaymentAttempt? attempt, string collector, DateTimeOffset now, CancellationToken ct,
        Receipt? replaces = null, ReceiptPayer? correctedPayer = null)
    {
        var series = await db.ReceiptSeries.Where(s => s.AgencyCode == order.AgencyCode && s.Active).OrderBy(s => s.Id).FirstOrDefaultAsync(ct)
                     ?? throw new InvalidOperationException($"Agency {order.AgencyCode} has no active receipt series; an admin must register one.");
        var year = VietnamTime.YearOf(now);
        var counter = await db.ReceiptCounters.FirstOrDefaultAsync(c => c.SeriesId == series.Id && c.Year == year, ct);
        if (counter is null)
        {
            // First receipt of the year: a racing writer creating the same row loses on the primary key and retries.
            counter = new ReceiptCounter(series.Id, year);
            db.ReceiptCounters.Add(counter);
        }
        var agency = await db.Agencies.AsNoTracking().SingleAsync(a => a.Code == order.AgencyCode, ct);
        var receipt = Receipt.Issue(order, attempt, series, counter, collector, new Organisation(agency.Name, agency.TaxCode, agency.Address),
            Infrastructure.Auth.Tokens.NewUrlToken(24), now, replaces, correctedPayer);
        if (!receipt.IsSuccess) return receipt;
        issuer.Seal(receipt.Value, now);
        if (replaces is null) db.Receipts.Add(receipt.Value);
        return receipt;
    }
}
