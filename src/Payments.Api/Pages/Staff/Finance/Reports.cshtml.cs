using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Ledger;
using Payments.Api.Features.Reports;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Receipts;

namespace Payments.Api.Pages.Staff.Finance;

/// <summary>Ledger reports over a date range: revenue by fee and provider, receipts issued/cancelled/replaced, trial balance, exports.</summary>
public sealed class ReportsModel(PaymentsDbContext db, UserManager<StaffUser> users, LedgerReports reports, TimeProvider clock,
    Features.Counter.CloseReportPdf closePdf) : StaffPageModel(users)
{
    /// <summary>The desks' daily closes in the range, with their differences.</summary>
    public IReadOnlyList<Domain.Reconciliation.DailyClose> Closes { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public DateOnly From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Agency { get; set; }
    public StaffScope Scope { get; private set; } = null!;
    public IReadOnlyList<RevenueRow> Revenue { get; private set; } = [];
    public TrialBalance Balance { get; private set; } = null!;
    public (int Issued, int Cancelled, int Replaced, long ValidTotal) Receipts { get; private set; }

    /// <summary>The agency the reports cover: the person's own, or for province-wide staff the one chosen (empty: all).</summary>
    private string Covered => Scope.ProvinceWide ? (Scope.Codes.Contains(Agency ?? "") ? Agency! : "") : Scope.Me.AgencyCode;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await RangeAsync(ct);
        var agency = Covered;
        Revenue = await reports.RevenueAsync(agency, From, To, ct);
        var (since, until) = VietnamTime.Days(From, To);
        Balance = await new GetTrialBalanceHandler(db).Handle(new GetTrialBalance(agency, since, until), ct);
        var receipts = await db.Receipts.AsNoTracking().Where(r => (agency == "" || r.AgencyCode == agency) && r.IssuedAt >= since && r.IssuedAt < until)
            .GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count(), Total = g.Sum(r => r.Amount.Minor) }).ToListAsync(ct);
        Closes = await db.DailyCloses.AsNoTracking().Where(c => (agency == "" || c.AgencyCode == agency) && c.Day >= From && c.Day <= To)
            .OrderBy(c => c.Day).ThenBy(c => c.Desk).ToListAsync(ct);
        Receipts = (receipts.Sum(r => r.Count), receipts.Where(r => r.Key == ReceiptStatus.Cancelled).Sum(r => r.Count),
            receipts.Where(r => r.Key == ReceiptStatus.Replaced).Sum(r => r.Count), receipts.Where(r => r.Key == ReceiptStatus.Valid).Sum(r => r.Total));
    }

    public async Task<IActionResult> OnGetExportAsync(string report, string format, CancellationToken ct)
    {
        await RangeAsync(ct);
        var result = await ReportEndpoints.ExportAsync(HttpContext, reports, Covered, report, From.ToString("yyyy-MM-dd"), To.ToString("yyyy-MM-dd"), format, clock, ct);
        await result.ExecuteAsync(HttpContext);
        return new EmptyResult();
    }

    public async Task<IActionResult> OnGetClosePdfAsync(Guid id, CancellationToken ct)
    {
        Scope = await ScopeAsync(db, ct);
        var close = await db.DailyCloses.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (close is null || !Scope.CanSee(close.AgencyCode)) return NotFound();
        var name = Scope.Agencies.FirstOrDefault(a => a.Code == close.AgencyCode)?.Name ?? close.AgencyCode;
        return File(closePdf.Render(close, name), "application/pdf", $"chot-quy-{close.Day:yyyyMMdd}.pdf");
    }

    private async Task RangeAsync(CancellationToken ct)
    {
        Scope = await ScopeAsync(db, ct);
        var today = VietnamTime.DayOf(clock.GetUtcNow());
        if (From == default) From = new DateOnly(today.Year, today.Month, 1);
        if (To == default || To < From) To = today < From ? From : today;
    }

    public string ExportUrl(string report, string format) =>
        $"/staff/finance/reports?handler=Export&report={report}&format={format}&From={From:yyyy-MM-dd}&To={To:yyyy-MM-dd}&Agency={Uri.EscapeDataString(Agency ?? "")}";
}
