using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Orders;

namespace Payments.Domain.Ledger;

public enum LedgerKind
{
    Payment,
    /// <summary>Money an order could not keep (duplicate or late success), parked for a refund decision.</summary>
    RefundReview,
    Refund,
    /// <summary>A bank credit that no order could take as it stood: parked until a cashier resolves it.</summary>
    UnmatchedCredit,
    /// <summary>A receipt was cancelled: its revenue moves to refund review.</summary>
    ReceiptCancelled,
    /// <summary>A receipt was replaced by another: its revenue is reversed and booked again under the replacement.</summary>
    ReceiptReplaced,
    /// <summary>A cashier or finance resolved a reconciliation item: held money refunded, linked or written off.</summary>
    ReconciliationResolved,
    /// <summary>A desk's daily close found more or less money than recorded: the difference to cash over/short.</summary>
    DeskClose,
}

/// <summary>One side of a journal line: exactly one of Debit or Credit is positive.</summary>
public sealed class Posting
{
    private Posting() { Account = ""; }

    public Posting(string account, Money debit, Money credit)
    {
        if (string.IsNullOrWhiteSpace(account)) throw new ArgumentException("A posting needs an account.", nameof(account));
        if (debit.IsNegative || credit.IsNegative) throw new ArgumentException("Posting amounts are never negative.");
        if (debit.IsZero == credit.IsZero) throw new ArgumentException("A posting is either a debit or a credit.");
        if (debit.Currency != credit.Currency) throw new ArgumentException("A posting has one currency.");
        Account = account;
        Debit = debit;
        Credit = credit;
    }

    public static Posting DebitOf(string account, Money amount) => new(account, amount, Money.Zero(amount.Currency));
    public static Posting CreditOf(string account, Money amount) => new(account, Money.Zero(amount.Currency), amount);

    public long Id { get; private set; }
    public string Account { get; private set; }
    public Money Debit { get; private set; }
    public Money Credit { get; private set; }
}

/// <summary>A balanced journal entry: it cannot be built unless its debits equal its credits.</summary>
public sealed class LedgerTransaction
{
    private readonly List<Posting> _postings = [];

    private LedgerTransaction() { Description = ""; }

    public Guid Id { get; private set; }
    public LedgerKind Kind { get; private set; }
    /// <summary>The order the entry is about; null for money that arrived for no known order.</summary>
    public PaymentOrderId? OrderId { get; private set; }
    public string Description { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>The collecting agency whose books the entry belongs to; empty for the province's collection accounts.</summary>
    public string AgencyCode { get; private set; } = "";
    public IReadOnlyList<Posting> Postings => _postings;

    /// <summary>Files an entry that was built without an order under the agency it belongs to.</summary>
    public LedgerTransaction ForAgency(string agencyCode)
    {
        AgencyCode = agencyCode;
        return this;
    }

    public static LedgerTransaction Create(LedgerKind kind, PaymentOrderId? orderId, string description,
        IReadOnlyList<Posting> postings, DateTimeOffset now)
    {
        if (postings.Count < 2) throw new ArgumentException("A journal entry has at least two postings.");
        var currency = postings[0].Debit.Currency;
        if (postings.Any(p => p.Debit.Currency != currency)) throw new ArgumentException("A journal entry has one currency.");
        var debits = postings.Aggregate(Money.Zero(currency), (s, p) => s + p.Debit);
        var credits = postings.Aggregate(Money.Zero(currency), (s, p) => s + p.Credit);
        if (debits != credits)
            throw new InvalidOperationException($"Unbalanced journal entry: debits {debits.Minor} ≠ credits {credits.Minor}.");
        var tx = new LedgerTransaction { Id = Guid.CreateVersion7(), Kind = kind, OrderId = orderId, Description = description, CreatedAt = now };
        tx._postings.AddRange(postings);
        return tx;
    }
}

/// <summary>The chart of accounts this service posts to.</summary>
public static class Accounts
{
    /// <summary>Asset: what a provider holds for us until it settles to the treasury account.</summary>
    public static string Clearing(string provider) => $"clearing:{provider}";

    /// <summary>
    /// Revenue per collecting agency, phí and lệ phí apart (lệ phí goes wholly to the state budget), and per fee, so
    /// revenue by agency, kind or fee is a sum over accounts: <c>revenue:{agency}:{phi|le-phi}:{fee}</c>.
    /// </summary>
    public static string Revenue(string agencyCode, FeeKind kind, string feeCode) =>
        $"revenue:{agencyCode}:{(kind == FeeKind.Phi ? "phi" : "le-phi")}:{feeCode}";

    /// <summary>The parts of a revenue account name; null for other accounts.</summary>
    public static (string Agency, string Kind, string Fee)? ParseRevenue(string account)
    {
        if (!account.StartsWith("revenue:", StringComparison.Ordinal)) return null;
        var parts = account.Split(':');
        return parts.Length == 4 ? (parts[1], parts[2], parts[3]) : null;
    }

    /// <summary>The provider of a clearing account; null for other accounts.</summary>
    public static string? ParseClearing(string account) =>
        account.StartsWith("clearing:", StringComparison.Ordinal) ? account["clearing:".Length..] : null;

    /// <summary>Liability: money received that no open order could take, awaiting a refund decision.</summary>
    public const string RefundReview = "suspense:refund-review";

    /// <summary>Debit the provider's clearing account, credit revenue per agency and fee kind.</summary>
    public static LedgerTransaction ForPayment(PaymentOrder order, string provider, DateTimeOffset now)
    {
        var postings = new List<Posting> { Posting.DebitOf(Clearing(provider), order.Amount) };
        postings.AddRange(order.Lines
            .Where(l => !l.Amount.IsZero)
            .GroupBy(l => Revenue(l.AgencyCode, l.Kind, l.FeeCode))
            .Select(g => Posting.CreditOf(g.Key, g.Aggregate(Money.Zero(order.Amount.Currency), (s, l) => s + l.Amount))));
        return LedgerTransaction.Create(LedgerKind.Payment, order.Id, $"Payment of dossier {order.DossierCode}", postings, now).ForAgency(order.AgencyCode);
    }

    /// <summary>
    /// Reverses revenue for a refund: debit the revenue accounts, credit the provider's clearing account. Revenue is
    /// taken back account by account in line order (a waterfall over what earlier refunds left), so any sequence of
    /// partial refunds reverses each account exactly once and never below zero.
    /// </summary>
    public static LedgerTransaction ForRefund(PaymentOrder order, Money amount, Money refundedBefore, string provider, DateTimeOffset now)
    {
        var zero = Money.Zero(order.Amount.Currency);
        var accounts = order.Lines.Where(l => !l.Amount.IsZero).OrderBy(l => l.LineNo)
            .GroupBy(l => Revenue(l.AgencyCode, l.Kind, l.FeeCode))
            .Select(g => (Account: g.Key, Credit: g.Aggregate(zero, (s, l) => s + l.Amount)));
        var postings = new List<Posting>();
        Money skip = refundedBefore, left = amount;
        foreach (var (account, credit) in accounts)
        {
            var available = credit - Min(credit, skip);
            skip -= Min(credit, skip);
            var take = Min(available, left);
            if (!take.IsZero) postings.Add(Posting.DebitOf(account, take));
            left -= take;
        }
        if (!left.IsZero) throw new InvalidOperationException("Refund exceeds the revenue of the order.");
        postings.Add(Posting.CreditOf(Clearing(provider), amount));
        return LedgerTransaction.Create(LedgerKind.Refund, order.Id, $"Refund for dossier {order.DossierCode}", postings, now).ForAgency(order.AgencyCode);
    }

    private static Money Min(Money a, Money b) => a <= b ? a : b;

    /// <summary>Revenue per account as a receipt's content states it (the lines it was issued for).</summary>
    private static IEnumerable<(string Account, Money Amount)> RevenueOf(PaymentOrder order) =>
        order.Lines.Where(l => !l.Amount.IsZero).GroupBy(l => Revenue(l.AgencyCode, l.Kind, l.FeeCode))
            .Select(g => (g.Key, g.Aggregate(Money.Zero(order.Amount.Currency), (s, l) => s + l.Amount)));

    public static LedgerTransaction ForReceiptCancelled(PaymentOrder order, string receiptLabel, DateTimeOffset now) =>
        LedgerTransaction.Create(LedgerKind.ReceiptCancelled, order.Id, $"Receipt {receiptLabel} cancelled",
            [.. RevenueOf(order).Select(r => Posting.DebitOf(r.Account, r.Amount)), Posting.CreditOf(RefundReview, order.Amount)], now).ForAgency(order.AgencyCode);

    public static LedgerTransaction ForReceiptReplaced(PaymentOrder order, string original, string replacement, DateTimeOffset now) =>
        LedgerTransaction.Create(LedgerKind.ReceiptReplaced, order.Id, $"Receipt {original} replaced by {replacement}",
            [.. RevenueOf(order).SelectMany(r => new[] { Posting.DebitOf(r.Account, r.Amount), Posting.CreditOf(r.Account, r.Amount) })], now).ForAgency(order.AgencyCode);

    /// <summary>Liability: bank credits not (yet) matched to an order.</summary>
    public const string UnmatchedCredits = "suspense:unmatched-credits";

    public static LedgerTransaction ForUnmatchedCredit(PaymentOrderId? orderId, Money amount, string provider, string bankTxnId, DateTimeOffset now) =>
        LedgerTransaction.Create(LedgerKind.UnmatchedCredit, orderId, $"Unmatched credit {bankTxnId}",
            [Posting.DebitOf(Clearing(provider), amount), Posting.CreditOf(UnmatchedCredits, amount)], now);

    public static LedgerTransaction ForRefundReview(PaymentOrder order, Money amount, string provider, DateTimeOffset now) =>
        LedgerTransaction.Create(LedgerKind.RefundReview, order.Id, $"Money for dossier {order.DossierCode} held for refund review",
            [Posting.DebitOf(Clearing(provider), amount), Posting.CreditOf(RefundReview, amount)], now).ForAgency(order.AgencyCode);

    /// <summary>Other income: money nobody claimed, written off with finance's approval.</summary>
    public const string UnclaimedCredits = "income:unclaimed-credits";
    /// <summary>Expense: money the books recorded and the bank never showed, written off with finance's approval.</summary>
    public const string ReconciliationLoss = "loss:reconciliation";

    /// <summary>Expense: cash short at a desk's close (income when over), explained by the cashier.</summary>
    public const string CashOverShort = "loss:cash-over-short";

    /// <summary>
    /// A desk's close found counted ≠ expected for a method: the clearing account is brought to what was counted, the
    /// difference going to cash over/short. Null when nothing differs.
    /// </summary>
    public static LedgerTransaction? ForCloseDifference(string agencyCode, string desk, DateOnly day, IEnumerable<(string Method, long Difference)> lines, DateTimeOffset now)
    {
        var postings = new List<Posting>();
        foreach (var (method, difference) in lines.Where(l => l.Difference != 0))
        {
            var amount = Money.Vnd(Math.Abs(difference));
            var clearing = Clearing($"counter:{method}");
            postings.AddRange(difference > 0
                ? [Posting.DebitOf(clearing, amount), Posting.CreditOf(CashOverShort, amount)]
                : [Posting.DebitOf(CashOverShort, amount), Posting.CreditOf(clearing, amount)]);
        }
        return postings.Count == 0 ? null
            : LedgerTransaction.Create(LedgerKind.DeskClose, null, $"Close of {desk} on {day:dd/MM/yyyy}: counted differs", postings, now).ForAgency(agencyCode);
    }

    /// <summary>Held money goes back to its payer: from unmatched credits to refund review.</summary>
    public static LedgerTransaction ForHeldToRefund(Money held, string reference, DateTimeOffset now) =>
        LedgerTransaction.Create(LedgerKind.ReconciliationResolved, null, $"Held credit {reference} marked for refund",
            [Posting.DebitOf(UnmatchedCredits, held), Posting.CreditOf(RefundReview, held)], now);

    /// <summary>Held money paid an order after all: the hold is reversed, and the order's payment posts as usual.</summary>
    public static LedgerTransaction ForHeldToOrder(PaymentOrderId orderId, Money held, string provider, string reference, DateTimeOffset now) =>
        LedgerTransaction.Create(LedgerKind.ReconciliationResolved, orderId, $"Held credit {reference} linked to its order",
            [Posting.DebitOf(UnmatchedCredits, held), Posting.CreditOf(Clearing(provider), held)], now);

    /// <summary>Approved write-off: held money becomes other income; a shortfall becomes a loss against the clearing account.</summary>
    public static LedgerTransaction ForWriteOff(Money held, Money shortfall, string provider, string reference, DateTimeOffset now)
    {
        var postings = new List<Posting>();
        if (!held.IsZero) postings.AddRange([Posting.DebitOf(UnmatchedCredits, held), Posting.CreditOf(UnclaimedCredits, held)]);
        if (!shortfall.IsZero) postings.AddRange([Posting.DebitOf(ReconciliationLoss, shortfall), Posting.CreditOf(Clearing(provider), shortfall)]);
        return LedgerTransaction.Create(LedgerKind.ReconciliationResolved, null, $"Reconciliation item {reference} written off", postings, now);
    }
}
