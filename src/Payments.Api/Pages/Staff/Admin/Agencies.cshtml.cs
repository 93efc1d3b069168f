using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Api.Pages.Shared;
using Payments.Domain.Common;

namespace Payments.Api.Pages.Staff.Admin;

/// <summary>
/// Collecting agencies: the organisation block printed on their receipts (name, tax code, address) and whether they
/// have a receipt series to number with. An agency admin corrects their own; a province-wide admin also adds new ones.
/// Changes reach receipts issued afterwards only: an issued receipt keeps its signed content. Audited.
/// </summary>
public sealed partial class AgenciesModel(PaymentsDbContext db, UserManager<StaffUser> users, TimeProvider clock, StaffText L) : StaffPageModel(users)
{
    public sealed record Row(Agency Agency, string? ActiveSeries);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public StaffScope Scope { get; private set; } = null!;
    public string? Message { get; private set; }
    public bool Failed { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostSaveAsync(string code, string name, string taxCode, string? address, CancellationToken ct)
    {
        var scope = await ScopeAsync(db, ct);
        var agency = await db.Agencies.FirstOrDefaultAsync(a => a.Code == code, ct);
        if (agency is null || !scope.CanSee(agency.Code)) return NotFound();
        if (Invalid(name, taxCode, address) is { } problem) return await FailAsync(problem, ct);
        var before = Snapshot(agency);
        (agency.Name, agency.TaxCode, agency.Address) = (name.Trim(), taxCode.Trim(), string.IsNullOrWhiteSpace(address) ? null : address.Trim());
        Audit(scope.Me, "agency.revise", agency, before);
        await db.SaveChangesAsync(ct);
        return await DoneAsync(L["Đã lưu {0}.", code], ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(string code, string name, string taxCode, string? address, CancellationToken ct)
    {
        var scope = await ScopeAsync(db, ct);
        if (!scope.ProvinceWide) return Forbid();
        code = code?.Trim() ?? "";
        if (!CodePattern().IsMatch(code)) return await FailAsync(L["Mã đơn vị: 3–50 chữ, số, dấu chấm hoặc gạch ngang."], ct);
        if (Invalid(name, taxCode, address) is { } problem) return await FailAsync(problem, ct);
        if (await db.Agencies.AnyAsync(a => a.Code == code, ct)) return await FailAsync(L["Đã có đơn vị mã {0}.", code], ct);
        var agency = new Agency { Code = code, Name = name.Trim(), TaxCode = taxCode.Trim(), Address = string.IsNullOrWhiteSpace(address) ? null : address.Trim() };
        db.Agencies.Add(agency);
        Audit(scope.Me, "agency.create", agency, null);
        await db.SaveChangesAsync(ct);
        return await DoneAsync(L["Đã thêm {0}. Hãy đăng ký chuỗi biên lai trước khi thu.", code], ct);
    }

    private string? Invalid(string? name, string? taxCode, string? address) =>
        string.IsNullOrWhiteSpace(name) || name.Length > 200 ? L["Tên đơn vị: bắt buộc, tối đa 200 ký tự."]
        : taxCode is null || !TaxCodePattern().IsMatch(taxCode.Trim()) ? L["Mã số thuế: 10 chữ số, hoặc 10 chữ số - 3 chữ số."]
        : address?.Length > 300 ? L["Địa chỉ: tối đa 300 ký tự."]
        : null;

    private void Audit(StaffUser me, string action, Agency agency, string? before) => db.Audit.Add(new AuditEntry
    {
        At = clock.GetUtcNow(), Actor = me.Actor(), Action = action, EntityType = "agency", EntityId = agency.Code, AgencyCode = agency.Code,
        BeforeJson = before, AfterJson = Snapshot(agency),
    });

    private static string Snapshot(Agency a) => JsonSerializer.Serialize(new { a.Name, a.TaxCode, a.Address });

    private async Task<IActionResult> FailAsync(string message, CancellationToken ct)
    {
        (Message, Failed) = (message, true);
        db.ChangeTracker.Clear();
        await LoadAsync(ct);
        return Page();
    }

    private async Task<IActionResult> DoneAsync(string message, CancellationToken ct)
    {
        (Message, Failed) = (message, false);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Scope = await ScopeAsync(db, ct);
        var codes = Scope.Codes;
        var year = VietnamTime.YearOf(clock.GetUtcNow());
        var active = (await db.ReceiptSeries.AsNoTracking().Where(s => s.Active && codes.Contains(s.AgencyCode)).ToListAsync(ct))
            .ToDictionary(s => s.AgencyCode, s => $"{s.TemplateSymbol} / {s.SeriesSymbolFor(year)}");
        Rows = Scope.Agencies.Select(a => new Row(a, active.GetValueOrDefault(a.Code))).ToList();
    }

    [GeneratedRegex(@"^[0-9A-Za-z.\-]{3,50}$")] private static partial Regex CodePattern();
    [GeneratedRegex(@"^\d{10}(-\d{3})?$")] private static partial Regex TaxCodePattern();
}
