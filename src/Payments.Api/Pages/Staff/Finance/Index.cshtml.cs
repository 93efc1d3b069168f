using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Receipts;

namespace Payments.Api.Pages.Staff.Finance;

/// <summary>The receipt ledger of finance's own agency, filtered by date (Vietnam time) and status, with totals.</summary>
public sealed class FinanceModel(PaymentsDbContext db, UserManager<StaffUser> users, TimeProvider clock) : StaffPageModel(users)
{
    [BindProperty(SupportsGet = true)] public DateOnly From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Method { get; set; }
    public IReadOnlyList<string> Methods { get; private set; } = [];
    /// <summary>Valid receipts' totals per day (Vietnam time) over the range, for the chart.</summary>
    public IReadOnlyList<(DateOnly Day, long Total)> Daily { get; private set; } = [];
    public IReadOnlyList<Receipt> Receipts { get; private set; } = [];
    public long ValidTotal { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToVietnam().DateTime);
        if (From == default) From = today;
        if (To == default || To < From) To = From;
        var me = await MeAsync();
        var from = new DateTimeOffset(From.ToDateTime(TimeOnly.MinValue), VietnamTime.Offset);
        var to = new DateTimeOffset(To.ToDateTime(TimeOnly.MinValue), VietnamTime.Offset).AddDays(1);
        var q = db.Receipts.AsNoTracking().Where(r => r.AgencyCode == me.AgencyCode && r.IssuedAt >= from && r.IssuedAt < to);
        Methods = await q.Select(r => r.PaymentMethod).Distinct().OrderBy(m => m).ToListAsync(ct);
        if (Enum.TryParse<ReceiptStatus>(Status, out var status)) q = q.Where(r => r.Status == status);
        if (!string.IsNullOrEmpty(Method)) q = q.Where(r => r.PaymentMethod == Method);
        Receipts = await q.OrderBy(r => r.Series).ThenBy(r => r.Number).Take(1000).ToListAsync(ct);
        ValidTotal = Receipts.Where(r => r.Status == ReceiptStatus.Valid).Sum(r => r.Amount.Minor);
        var byDay = Receipts.Where(r => r.Status == ReceiptStatus.Valid)
            .GroupBy(r => DateOnly.FromDateTime(r.IssuedAt.ToVietnam().DateTime)).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount.Minor));
        Daily = Enumerable.Range(0, To.DayNumber - From.DayNumber + 1).Select(i => From.AddDays(i)).Select(d => (d, byDay.GetValueOrDefault(d))).ToList();
    }
}
