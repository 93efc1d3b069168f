using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Ledger;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.Reports;

/// <summary>A report: Vietnamese column headers and rows of cells (text, or whole đồng as long integers).</summary>
public sealed record Report(string Name, string[] Headers, IAsyncEnumerable<object?[]> Rows);

public sealed record RevenueRow(DateOnly Day, string Agency, string Kind, string Fee, string Provider, long Amount);

/// <summary>
/// The ledgers a treasury asks for, all read from the double-entry postings (and the receipts register): the journal,
/// the receipts register, revenue by day / agency / fee kind / fee / provider, and the trial balance. Rows stream from
/// the store (no cap); an empty agency means every agency (province-wide staff).
/// </summary>
public sealed class LedgerReports(PaymentsDbContext db)
{
    public static readonly string[] Names = ["journal", "receipts", "revenue", "trial-balance"];

    public Report? Get(string name, string agency, DateOnly from, DateOnly to) => name switch
    {
        "journal" => new Report(name, ["Ngày", "Số bút toán", "Nghiệp vụ", "Diễn giải", "Đơn vị", "Tài khoản", "Nợ (đồng)", "Có (đồng)"], JournalAsync(agency, from, to)),
        "receipts" => new Report(name, ["Mẫu số", "Ký hiệu", "Số", "Ngày lập", "Đơn vị", "Mã hồ sơ", "Người nộp", "Số định danh", "Hình thức thanh toán",
            "Mã giao dịch", "Trạng thái", "Số tiền (đồng)"], ReceiptsAsync(agency, from, to)),
        "revenue" => new Report(name, ["Ngày", "Đơn vị", "Loại", "Khoản thu", "Kênh thanh toán", "Số tiền (đồng)"], RevenueRowsAsync(agency, from, to)),
        "trial-balance" => new Report(name, ["Tài khoản", "Phát sinh Nợ (đồng)", "Phát sinh Có (đồng)", "Số dư Nợ − Có (đồng)"], TrialBalanceAsync(agency, from, to)),
        _ => null,
    };


    private async IAsyncEnumerable<object?[]> JournalAsync(string agency, DateOnly fromDay, DateOnly toDay, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var (since, until) = VietnamTime.Days(fromDay, toDay);
        var rows = from p in db.Postings.AsNoTracking()
                   join t in db.LedgerTransactions.AsNoTracking() on EF.Property<Guid>(p, "TransactionId") equals t.Id
                   where (agency == "" || t.AgencyCode == agency) && t.CreatedAt >= since && t.CreatedAt < until
                   orderby t.CreatedAt, t.Id, p.Id
                   select new { t.CreatedAt, t.Id, t.Kind, t.Description, t.AgencyCode, p.Account, Debit = p.Debit.Minor, Credit = p.Credit.Minor };
        await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(ct))
            yield return [r.CreatedAt.ToVietnam().ToString("dd/MM/yyyy HH:mm:ss"), r.Id.ToString(), r.Kind.ToString(), r.Description, r.AgencyCode, r.Account, r.Debit, r.Credit];
    }

    private async IAsyncEnumerable<object?[]> ReceiptsAsync(string agency, DateOnly fromDay, DateOnly toDay, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var (since, until) = VietnamTime.Days(fromDay, toDay);
        var rows = db.Receipts.AsNoTracking().Where(r => (agency == "" || r.AgencyCode == agency) && r.IssuedAt >= since && r.IssuedAt < until)
            .OrderBy(r => r.Series).ThenBy(r => r.Number)
            .Select(r => new { r.TemplateSymbol, r.Series, r.Number, r.IssuedAt, r.AgencyCode, r.DossierCode, r.PayerName, r.PayerIdNumber, r.PaymentMethod,
                r.ProviderTransactionId, r.Status, Amount = r.Amount.Minor, r.ContentJson });
        await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(ct))
            yield return [r.TemplateSymbol, r.Series, r.Number.ToString(), r.IssuedAt.ToVietnam().ToString("dd/MM/yyyy HH:mm:ss"), r.AgencyCode, r.DossierCode,
                r.PayerName, r.PayerIdNumber, r.PaymentMethod, r.ProviderTransactionId, StatusVi(r.Status), r.Amount];
    }

    private static string StatusVi(ReceiptStatus s) => s switch
    {
        ReceiptStatus.Valid => "Hợp lệ", ReceiptStatus.Cancelled => "Đã hủy", _ => "Đã bị thay thế",
    };

    private async IAsyncEnumerable<object?[]> RevenueRowsAsync(string agency, DateOnly fromDay, DateOnly toDay, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var r in await RevenueAsync(agency, fromDay, toDay, ct))
            yield return [r.Day.ToString("dd/MM/yyyy"), r.Agency, r.Kind == "phi" ? "Phí" : "Lệ phí", r.Fee, r.Provider, r.Amount];
    }

    /// <summary>
    /// Net revenue (credits less debits on revenue accounts) per Vietnam day, agency, fee kind, fee and provider — the
    /// provider being the clearing account the same entry moved; refunds and cancelled receipts reduce the day they happen.
    /// </summary>
    public async Task<IReadOnlyList<RevenueRow>> RevenueAsync(string agency, DateOnly fromDay, DateOnly toDay, CancellationToken ct)
    {
        var (since, until) = VietnamTime.Days(fromDay, toDay);
        var postings = await (from p in db.Postings.AsNoTracking()
                              join t in db.LedgerTransactions.AsNoTracking() on EF.Property<Guid>(p, "TransactionId") equals t.Id
                              where (agency == "" || t.AgencyCode == agency) && t.CreatedAt >= since && t.CreatedAt < until
                                    && (p.Account.StartsWith("revenue:") || p.Account.StartsWith("clearing:"))
                              select new { t.Id, t.CreatedAt, p.Account, Net = p.Credit.Minor - p.Debit.Minor }).ToListAsync(ct);
        return postings.GroupBy(p => p.Id).SelectMany(entry =>
            {
                var provider = entry.Select(p => Accounts.ParseClearing(p.Account)).FirstOrDefault(c => c is not null) ?? "(điều chỉnh)";
                var day = VietnamTime.DayOf(entry.First().CreatedAt);
                return entry.Select(p => (p, rev: Accounts.ParseRevenue(p.Account))).Where(x => x.rev is not null)
                    .Select(x => new RevenueRow(day, x.rev!.Value.Agency, x.rev.Value.Kind, x.rev.Value.Fee, provider, x.p.Net));
            })
            .GroupBy(r => (r.Day, r.Agency, r.Kind, r.Fee, r.Provider))
            .Select(g => g.First() with { Amount = g.Sum(r => r.Amount) })
            .Where(r => r.Amount != 0)
            .OrderBy(r => r.Day).ThenBy(r => r.Agency).ThenBy(r => r.Fee).ThenBy(r => r.Provider)
            .ToList();
    }

    private async IAsyncEnumerable<object?[]> TrialBalanceAsync(string agency, DateOnly fromDay, DateOnly toDay, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var (since, until) = VietnamTime.Days(fromDay, toDay);
        var balance = await new Ledger.GetTrialBalanceHandler(db).Handle(new Ledger.GetTrialBalance(agency, since, until), ct);
        foreach (var a in balance.Accounts) yield return [a.Account, a.Debit, a.Credit, a.Balance];
        yield return ["Cộng", balance.TotalDebit, balance.TotalCredit, balance.TotalDebit - balance.TotalCredit];
    }
}
