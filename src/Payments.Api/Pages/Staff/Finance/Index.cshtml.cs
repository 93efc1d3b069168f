using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Receipts;

namespace Payments.Api.Pages.Staff.Finance;

/// <summary>
/// The receipt ledger: finance's own agency (province-wide finance: every agency, or one), filtered by date (Vietnam
/// time), agency, fee, payment method/provider and status, with totals and a chart of daily totals.
/// </summary>
public sealed class FinanceModel(PaymentsDbContext db, UserManager<StaffUser> users, TimeProvider clock) : StaffPageModel(users)
{
    [BindProperty(SupportsGet = true)] public DateOnly From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Method { get; set; }
    [BindProperty(SupportsGet = true)] public string? Agency { get; set; }
    [BindProperty(SupportsGet = true)] public string? Fee { get; set; }
    public IReadOnlyList<string> Methods { get; private set; } = [];
    public IReadOnlyList<(string Code, string Name)> Fees { get; private set; } = [];
    public StaffScope Scope { get; private set; } = null!;
    /// <summary>Valid receipts' totals per day (Vietnam time) over the range, for the chart.</summary>
    public IReadOnlyList<(DateOnly Day, long Total)> Daily { get; private set; } = [];
    public IReadOnlyList<Receipt> Receipts { get; private set; } = [];
    public long ValidTotal { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = VietnamTime.DayOf(clock.GetUtcNow());
        if (From == default) From = today;
        if (To == default || To < From) To = From;
        Scope = await ScopeAsync(db, ct);
        var visible = Scope.Codes;
        if (Agency is { Length: > 0 } one && visible.Contains(one)) visible = [one];
        else Agency = null;
        var (from, to) = VietnamTime.Days(From, To);
        var q = db.Receipts.AsNoTracking().Where(r => visible.Contains(r.AgencyCode) && r.IssuedAt >= from && r.IssuedAt < to);
        Methods = await q.Select(r => r.PaymentMethod).Distinct().OrderBy(m => m).ToListAsync(ct);
        Fees = (await db.Fees.AsNoTracking().Where(f => visible.Contains(f.AgencyCode)).OrderBy(f => f.Code).Select(f => new { f.Code, f.Name }).ToListAsync(ct))
            .DistinctBy(f => f.Code).Select(f => (f.Code, f.Name)).ToList();
        if (!string.IsNullOrEmpty(Fee))
        {
            // A receipt belongs to a fee when its order has a line for it (an order may carry several fees).
            var fee = Fee;
            q = q.Where(r => db.Orders.Any(o => o.Id == r.OrderId && o.Lines.Any(l => l.FeeCode == fee)));
        }
        if (Enum.TryParse<ReceiptStatus>(Status, out var status)) q = q.Where(r => r.Status == status);
        if (!string.IsNullOrEmpty(Method)) q = q.Where(r => r.PaymentMethod == Method);
        Receipts = await q.OrderBy(r => r.Series).ThenBy(r => r.Number).Take(1000).ToListAsync(ct);
        ValidTotal = Receipts.Where(r => r.Status == ReceiptStatus.Valid).Sum(r => r.Amount.Minor);
        var byDay = Receipts.Where(r => r.Status == ReceiptStatus.Valid)
            .GroupBy(r => VietnamTime.DayOf(r.IssuedAt)).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount.Minor));
        Daily = Enumerable.Range(0, To.DayNumber - From.DayNumber + 1).Select(i => From.AddDays(i)).Select(d => (d, byDay.GetValueOrDefault(d))).ToList();
    }
}
