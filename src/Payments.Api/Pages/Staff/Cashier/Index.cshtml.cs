using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Counter;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;
using Payments.Api.Pages.Shared;
using Payments.Domain.Common;
using Payments.Domain.Orders;

namespace Payments.Api.Pages.Staff.Cashier;

/// <summary>Find an order of the cashier's own agency and record money taken at the desk; today's takings here.</summary>
public sealed class CashierModel(PaymentsDbContext db, UserManager<StaffUser> users, ISender sender, TimeProvider clock, StaffText L, CloseReportPdf closePdf)
    : StaffPageModel(users)
{
    /// <summary>Today's takings per method as the system recorded them, for the close.</summary>
    public IReadOnlyList<(string Method, long Expected)> Expected { get; private set; } = [];
    /// <summary>Today's close of this desk, once made: the day is then locked.</summary>
    public Domain.Reconciliation.DailyClose? Closed { get; private set; }

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    public IReadOnlyList<PaymentOrder> Orders { get; private set; } = [];
    public IReadOnlyList<(DateTimeOffset At, string Dossier, string Method, Money Amount)> Today { get; private set; } = [];
    public string? Message { get; private set; }
    public bool Failed { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostPayAsync(Guid orderId, string method, string? reference, string idempotencyKey, CancellationToken ct)
    {
        var me = await MeAsync();
        var result = await sender.Send(new RecordCounterPayment(me.AsCaller(), orderId, idempotencyKey,
            new CounterPaymentBody(method, reference, new CashierBody(me.Email, me.FullName), null)), ct);
        (Message, Failed) = result.IsSuccess
            ? (L["Đã thu {0} cho hồ sơ {1}; biên lai {2} số {3}.", Money.Vnd(result.Value.Amount.Value).ToDisplayString(), result.Value.DossierCode,
                result.Value.Receipt?.Series ?? "", result.Value.Receipt?.Number.ToString("0000000") ?? ""], false)
            : (result.Error!.Message, true);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCloseAsync(long? cash, long? pos, long? walletQr, string? explanation, CancellationToken ct)
    {
        var me = await MeAsync();
        var counted = new Dictionary<string, long> { ["cash"] = cash ?? 0 };
        if (pos is { } p) counted["pos"] = p;
        if (walletQr is { } w) counted["wallet_qr"] = w;
        var result = await sender.Send(new CloseDesk(me.AsCaller(), Desk(me), counted, explanation), ct);
        (Message, Failed) = result.IsSuccess
            ? (L["Đã chốt quỹ ngày {0}. Quầy không nhận thêm khoản thu trong ngày.", result.Value.Day.ToString("dd/MM/yyyy")], false)
            : (result.Error!.Fields is { Count: > 0 } f ? string.Join(" ", f.SelectMany(x => x.Value)) : result.Error.Message, true);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnGetClosePdfAsync(Guid id, CancellationToken ct)
    {
        var me = await MeAsync();
        var desk = Desk(me);
        var close = await db.DailyCloses.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.AgencyCode == me.AgencyCode && c.Desk == desk, ct);
        if (close is null) return NotFound();
        var agency = await db.Agencies.AsNoTracking().Where(a => a.Code == close.AgencyCode).Select(a => a.Name).FirstOrDefaultAsync(ct) ?? close.AgencyCode;
        return File(closePdf.Render(close, agency), "application/pdf", $"chot-quy-{close.Day:yyyyMMdd}.pdf");
    }

    private static string Desk(StaffUser me) => $"{me.FullName} ({me.Email})";

    private async Task LoadAsync(CancellationToken ct)
    {
        var me = await MeAsync();
        var today = DeskDay.Today(clock);
        var desk = Desk(me);
        Expected = (await DeskDay.PaymentsAsync(db, me.AgencyCode, desk, today, ct)).GroupBy(p => p.Method)
            .Select(g => (g.Key, g.Sum(p => p.Amount))).OrderBy(x => x.Key).ToList();
        Closed = await db.DailyCloses.AsNoTracking().FirstOrDefaultAsync(c => c.AgencyCode == me.AgencyCode && c.Desk == desk && c.Day == today, ct);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            var byCode = db.Attempts.Where(a => a.ProviderReference == q.ToUpperInvariant()).Select(a => a.OrderId);
            // A cashier sees their own agency's orders only.
            Orders = await db.Orders.AsNoTracking().Where(o => o.AgencyCode == me.AgencyCode && (o.DossierCode == q || byCode.Contains(o.Id)))
                .OrderByDescending(o => o.CreatedAt).Take(50).ToListAsync(ct);
        }
        var since = new DateTimeOffset(clock.GetUtcNow().ToVietnam().Date, VietnamTime.Offset);
        var label = $"{me.FullName} ({me.Email})";
        var rows = await (from a in db.Attempts.AsNoTracking()
                          join o in db.Orders on a.OrderId equals o.Id
                          where a.Provider == PaymentAttempt.CounterProvider && a.RecordedBy == label && a.CreatedAt >= since
                          orderby a.CreatedAt descending
                          select new { a.CreatedAt, o.DossierCode, a.Method, a.Amount }).ToListAsync(ct);
        Today = rows.Select(r => (r.CreatedAt.ToVietnam(), r.DossierCode, r.Method ?? "", r.Amount)).ToList();
    }
}

internal static class StatusNames
{
    public static string ToSnakeCaseVi(this OrderStatus s) => s switch
    {
        OrderStatus.Created => "Chờ thanh toán",
        OrderStatus.AwaitingPayment => "Đang thanh toán",
        OrderStatus.Paid => "Đã thanh toán",
        OrderStatus.PartiallyRefunded => "Đã hoàn một phần",
        OrderStatus.Refunded => "Đã hoàn tiền",
        OrderStatus.Cancelled => "Đã hủy",
        _ => "Hết hạn",
    };
}
