using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Reconciliation;
using Payments.Api.Infrastructure;
using Payments.Api.Infrastructure.Persistence;
using Payments.Api.Pages.Shared;
using Payments.Domain.Reconciliation;

namespace Payments.Api.Pages.Staff.Reconciliation;

/// <summary>
/// Import a bank statement or settlement report (with a progress bar; without JavaScript the form simply posts and
/// waits), see what reconciliation found, and resolve each open item with a reason. Finance approves write-offs.
/// </summary>
[RequestSizeLimit(ReconciliationEndpoints.MaxStatementBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = ReconciliationEndpoints.MaxStatementBytes)]
public sealed class ReconciliationModel(PaymentsDbContext db, UserManager<StaffUser> users, StatementReconciler reconciler, StatementJobs jobs,
    ISender sender, IConfiguration config, StaffText L) : StaffPageModel(users)
{
    public StaffScope Scope { get; private set; } = null!;
    public IReadOnlyList<StatementFormat> Formats { get; private set; } = [];
    public IReadOnlyList<ReconciliationItem> Items { get; private set; } = [];
    public IReadOnlyList<StatementImport> Imports { get; private set; } = [];
    /// <summary>What the last import found: the one just made, or <c>?import=</c> after the progress bar finished.</summary>
    public OutcomeCounts? Counts { get; private set; }
    public string? Message { get; private set; }
    public bool Failed { get; private set; }
    public bool IsFinance => User.IsInRole(StaffSetup.Finance);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>The form without JavaScript: import and wait.</summary>
    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, string? format, string? account, CancellationToken ct)
    {
        var scope = await ScopeAsync(db, ct);
        if (file is not { Length: > 0 }) return await DoneAsync(L["Chọn tệp sao kê."], failed: true, ct);
        var result = await ReconciliationEndpoints.WithTempFileAsync(file, path => reconciler.ReconcileAsync(path, file.FileName, format, account, scope.Caller, null, ct));
        if (!result.IsSuccess) return await DoneAsync(result.Error!.Message, failed: true, ct);
        Counts = result.Value.Counts;
        return await DoneAsync(result.Value.DuplicateFile ? L["Tệp này đã được nhập trước đây; không có gì thay đổi."] : L["Đã nhập {0} dòng.", result.Value.Lines], false, ct);
    }

    /// <summary>The form with JavaScript: the upload returns a job to poll.</summary>
    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, string? format, string? account, CancellationToken ct)
    {
        var scope = await ScopeAsync(db, ct);
        if (file is not { Length: > 0 }) return BadRequest(new { error = L["Chọn tệp sao kê."] });
        var path = Path.Combine(Path.GetTempPath(), "payments-statement-" + Guid.NewGuid().ToString("N"));
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            await file.CopyToAsync(target, ct);
        var job = jobs.Start(path, file.FileName, format, account, scope.Caller);
        return new JsonResult(new { id = job.Id });
    }

    public async Task<IActionResult> OnGetJobAsync(Guid id)
    {
        var me = await MeAsync();
        if (jobs.Find(id, Guid.Parse(me.Id)) is not { } job) return NotFound();
        return new JsonResult(new
        {
            state = job.State, progress = Math.Round(job.Progress, 3), importId = job.Result?.ImportId, duplicateFile = job.Result?.DuplicateFile,
            counts = job.Result?.Counts, lines = job.Result?.Lines, error = job.Error?.Message,
        });
    }

    public async Task<IActionResult> OnPostResolveAsync(Guid itemId, string action, string? reason, string? order, CancellationToken ct)
    {
        var scope = await ScopeAsync(db, ct);
        var result = await sender.Send(new ResolveItem(scope.Caller, itemId, new ResolveBody(action, reason, order), MayApprove: IsFinance), ct);
        return await DoneAsync(result.IsSuccess ? L["Đã xử lý khoản {0}.", result.Value.BankTxnId] : result.Error!.Message, !result.IsSuccess, ct);
    }

    private async Task<IActionResult> DoneAsync(string message, bool failed, CancellationToken ct)
    {
        (Message, Failed) = (message, failed);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Scope = await ScopeAsync(db, ct);
        Formats = StatementFormat.All(config).Values.OrderBy(f => f.Name == "generic" ? "" : f.Name).ToList();
        var agency = Scope.Agency;
        Items = await db.ItemsOf(agency).AsNoTracking()
            .Where(i => i.Status != ReconciliationStatus.Resolved)
            .OrderBy(i => i.CreatedAt).Take(500).ToListAsync(ct);
        Imports = await db.StatementImports.AsNoTracking().Where(i => i.AgencyCode == agency).OrderByDescending(i => i.ImportedAt).Take(20).ToListAsync(ct);
        if (Counts is null && Guid.TryParse(Request.Query["import"], out var shown)
            && await db.StatementImports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == shown && i.AgencyCode == agency, ct) is { } i)
            Counts = new OutcomeCounts(i.Matched, i.AmountMismatch, i.UnknownCredit, i.MissingCredit, i.Duplicate, i.AlreadyImported, i.Ignored);
    }
}
