using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Receipts;
using Payments.Api.Infrastructure.Persistence;
using Payments.Api.Pages.Shared;
using Payments.Domain.Common;

namespace Payments.Api.Pages.Staff.Admin;

/// <summary>
/// Receipt series of an agency (template symbol, series letters, number width) with this year's last number; a new
/// series takes over from the active one. The same use case as <c>POST /api/v1/receipt-series</c>, audited there.
/// </summary>
public sealed class SeriesModel(PaymentsDbContext db, UserManager<StaffUser> users, ISender sender, TimeProvider clock, StaffText L) : StaffPageModel(users)
{
    public IReadOnlyList<SeriesView> Series { get; private set; } = [];
    public StaffScope Scope { get; private set; } = null!;
    public int Year { get; private set; }
    public string? Message { get; private set; }
    public bool Failed { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRegisterAsync(string templateSymbol, string seriesLetters, int numberWidth, CancellationToken ct)
    {
        var scope = await ScopeAsync(db, ct);
        if (scope.Current is null) return NotFound();
        var result = await sender.Send(new RegisterSeries(scope.Caller,
            new SeriesBody(templateSymbol?.Trim(), seriesLetters?.Trim().ToUpperInvariant(), numberWidth)), ct);
        (Message, Failed) = result.IsSuccess
            ? (L["Đã đăng ký chuỗi {0} / {1}; chuỗi cũ ngừng cấp số.", result.Value.TemplateSymbol, result.Value.CurrentSymbol], false)
            : (L["Không đăng ký được: {0}", result.Error!.Fields is { Count: > 0 } f ? string.Join(" ", f.SelectMany(x => x.Value)) : result.Error.Message], true);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Scope = await ScopeAsync(db, ct);
        var agency = Scope.Agency;
        Year = VietnamTime.YearOf(clock.GetUtcNow());
        var year = Year;
        var series = await db.ReceiptSeries.AsNoTracking().Where(s => s.AgencyCode == agency).OrderByDescending(s => s.Active).ThenBy(s => s.Id).ToListAsync(ct);
        var ids = series.Select(s => s.Id).ToList();
        var counters = await db.ReceiptCounters.AsNoTracking().Where(c => c.Year == year && ids.Contains(c.SeriesId)).ToDictionaryAsync(c => c.SeriesId, c => c.LastNumber, ct);
        Series = series.Select(s => new SeriesView(s.Id, s.AgencyCode, s.TemplateSymbol, s.SeriesLetters, s.SeriesSymbolFor(year), s.NumberWidth,
            s.Active, counters.GetValueOrDefault(s.Id))).ToList();
    }
}
