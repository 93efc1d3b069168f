using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Features.Ledger;

public sealed record AccountBalance(string Account, string Currency, long Debit, long Credit, long Balance);

public sealed record TrialBalance(string AgencyCode, IReadOnlyList<AccountBalance> Accounts, long TotalDebit, long TotalCredit, bool Balanced);

/// <summary>
/// Debit and credit totals per account over the journal entries of an agency (empty: every entry, province-wide),
/// optionally those made in [From, To) — debits equal credits per entry, so in total too.
/// </summary>
public sealed record GetTrialBalance(string AgencyCode, DateTimeOffset? From = null, DateTimeOffset? To = null) : IQuery<TrialBalance>;

public sealed class GetTrialBalanceHandler(PaymentsDbContext db) : IQueryHandler<GetTrialBalance, TrialBalance>
{
    public async ValueTask<TrialBalance> Handle(GetTrialBalance query, CancellationToken ct)
    {
        var (agency, since, until) = (query.AgencyCode, query.From ?? DateTimeOffset.MinValue, query.To ?? DateTimeOffset.MaxValue);
        var rows = await (
                from p in db.Postings
                join t in db.LedgerTransactions on EF.Property<Guid>(p, "TransactionId") equals t.Id
                where (agency == "" || t.AgencyCode == agency) && t.CreatedAt >= since && t.CreatedAt < until
                group p by new { p.Account, Currency = p.Debit.Currency } into g
                select new { g.Key.Account, g.Key.Currency, Debit = g.Sum(x => x.Debit.Minor), Credit = g.Sum(x => x.Credit.Minor) })
            .ToListAsync(ct);
        var accounts = rows.OrderBy(r => r.Account, StringComparer.Ordinal)
            .Select(r => new AccountBalance(r.Account, r.Currency.Code, r.Debit, r.Credit, r.Debit - r.Credit)).ToList();
        long debit = accounts.Sum(a => a.Debit), credit = accounts.Sum(a => a.Credit);
        return new TrialBalance(query.AgencyCode, accounts, debit, credit, debit == credit);
    }
}

internal static class GetTrialBalanceEndpoint
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/ledger/trial-balance", async (HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetTrialBalance(CallingClient.From(http.User).AgencyCode), ct)))
            .WithName("GetTrialBalance").Produces<TrialBalance>();
}
