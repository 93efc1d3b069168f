using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Receipts;
using Payments.Api.Features.Receipts.Pdf;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Receipts;

namespace Payments.Api.Pages.Staff.Finance;

/// <summary>One receipt of finance's agency, its PDF, and cancel / replace with a reason (audited, as through the API).</summary>
public sealed class ReceiptModel(PaymentsDbContext db, UserManager<StaffUser> users, ISender sender, PublicUrls urls, ReceiptPdfRenderer pdf) : StaffPageModel(users)
{
    public Receipt? Receipt { get; private set; }
    public string VerifyUrl => urls.Verify(Receipt!.VerifyToken);
    public string? Message { get; private set; }
    public bool Failed { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetPdfAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? File(pdf.Render(Receipt!, VerifyUrl), "application/pdf") : NotFound();

    public Task<IActionResult> OnPostCancelAsync(Guid id, string reason, CancellationToken ct) => CorrectAsync(id, false, new CorrectionBody(reason, null), ct);

    public Task<IActionResult> OnPostReplaceAsync(Guid id, string reason, string? payerName, string? payerAddress, CancellationToken ct) =>
        CorrectAsync(id, true, new CorrectionBody(reason, string.IsNullOrWhiteSpace(payerName) && string.IsNullOrWhiteSpace(payerAddress) ? null
            : new PayerCorrection(string.IsNullOrWhiteSpace(payerName) ? null : payerName, string.IsNullOrWhiteSpace(payerAddress) ? null : payerAddress, null)), ct);

    private async Task<IActionResult> CorrectAsync(Guid id, bool replace, CorrectionBody body, CancellationToken ct)
    {
        // Act for the receipt's own agency, which the scope check in LoadAsync has shown this person may see.
        if (!await LoadAsync(id, ct)) return NotFound();
        var me = await MeAsync();
        var caller = me.AsCaller() with { AgencyCode = Receipt!.AgencyCode };
        var result = await sender.Send(new CorrectReceipt(caller, id, replace, body), ct);
        if (!result.IsSuccess)
        {
            (Message, Failed) = (result.Error!.Message, true);
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
        return Redirect($"/staff/finance/receipts/{result.Value.Id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var me = await MeAsync();
        var rid = new ReceiptId(id);
        Receipt = await db.Receipts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == rid, ct);
        // Finance sees its own agency's receipts; province-wide finance (no agency) sees every agency's.
        if (Receipt is not null && me.AgencyCode.Length > 0 && Receipt.AgencyCode != me.AgencyCode) Receipt = null;
        return Receipt is not null;
    }
}
