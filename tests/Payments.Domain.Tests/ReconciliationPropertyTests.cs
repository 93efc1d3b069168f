using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Payments.Domain.Common;
using Payments.Domain.Ledger;
using Payments.Domain.Reconciliation;

namespace Payments.Domain.Tests;

/// <summary>The matching engine on planted statements, and ledger invariants under any sequence of money events (FsCheck).</summary>
public class ReconciliationPropertyTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 23, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromDays(3);
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>What we plant for one payment the system recorded, and what the matcher must then say.</summary>
    public enum Plant { ByTxnId, ByTypedCode, Short, Excess, Missing, PaidTwice }

    public sealed record Case(Plant Plant, int Code, int Amount, int Minutes, bool Lower, int Noise);

    private static string CodeOf(int n)
    {
        var chars = new char[8];
        for (var i = 0; i < 8; i++) { chars[i] = Alphabet[n % Alphabet.Length]; n /= Alphabet.Length; n += i * 7; }
        return "TT" + new string(chars);
    }

    private static readonly Arbitrary<Case[]> Cases =
        (from plant in Gen.Elements(Enum.GetValues<Plant>())
         from amount in Gen.Choose(1, 2_000)
         from minutes in Gen.Choose(-2_000, 2_000)
         from lower in Gen.Elements(true, false)
         from noise in Gen.Choose(0, 3)
         select new Case(plant, 0, amount * 1_000, minutes, lower, noise)).ArrayOf().ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Planted_cases_are_classified_as_planted() => Prop.ForAll(Cases, Gen.Choose(0, 5).ToArbitrary(), (cases, unknowns) =>
    {
        var expected = new List<ExpectedCredit>();
        var lines = new List<StatementLine>();
        var want = new Dictionary<MatchOutcome, int>();
        void Want(MatchOutcome o) => want[o] = want.GetValueOrDefault(o) + 1;
        for (var i = 0; i < cases.Length; i++)
        {
            var c = cases[i];
            var code = CodeOf(i * 7919 + 13);
            var paidAt = Day.AddMinutes(c.Minutes);
            var e = new ExpectedCredit(Guid.NewGuid(), Guid.NewGuid(), code, $"FT{i:D6}", c.Amount, paidAt);
            expected.Add(e);
            var typed = string.Join(" ", code.Chunk(3 + c.Noise).Select(x => new string(x)));
            var content = $"NOP TTHC {(c.Lower ? typed.ToLowerInvariant() : typed)} HS{i}";
            switch (c.Plant)
            {
                case Plant.ByTxnId: lines.Add(new(i, e.ProviderTxnId!, paidAt.AddHours(1), c.Amount, "CK", "ACC")); Want(MatchOutcome.Matched); break;
                case Plant.ByTypedCode: lines.Add(new(i, $"B{i}", paidAt.AddHours(20), c.Amount, content, "ACC")); Want(MatchOutcome.Matched); break;
                case Plant.Short: lines.Add(new(i, $"B{i}", paidAt, c.Amount - 500, content, "ACC")); Want(MatchOutcome.AmountMismatch); break;
                case Plant.Excess: lines.Add(new(i, $"B{i}", paidAt, c.Amount + 500, content, "ACC")); Want(MatchOutcome.AmountMismatch); break;
                case Plant.Missing: Want(MatchOutcome.MissingCredit); break;
                case Plant.PaidTwice:
                    lines.Add(new(i, e.ProviderTxnId!, paidAt, c.Amount, content, "ACC"));
                    lines.Add(new(i, $"B{i}-again", paidAt.AddDays(1), c.Amount, content, "ACC"));
                    Want(MatchOutcome.Matched); Want(MatchOutcome.Duplicate); break;
            }
        }
        for (var u = 0; u < unknowns; u++) { lines.Add(new(1000 + u, $"U{u}", Day, 10_000, $"UNG HO {u}", "ACC")); Want(MatchOutcome.UnknownCredit); }
        lines.Add(new(9999, "DEBIT", Day, -5_000, "PHI", "ACC")); Want(MatchOutcome.Ignored);

        var result = StatementMatcher.Match(lines, expected, [], Window, Day.AddDays(-3), Day.AddDays(3));
        var got = result.GroupBy(m => m.Outcome).ToDictionary(g => g.Key, g => g.Count());
        return Enum.GetValues<MatchOutcome>().All(o => got.GetValueOrDefault(o) == want.GetValueOrDefault(o))
               && result.Where(m => m.Outcome == MatchOutcome.Matched).All(m => m.Line!.Amount == m.Expected!.Amount)
               && result.Count(m => m.Line is not null) == lines.Count;
    });

    [Fact]
    public void A_code_paid_outside_the_window_or_held_by_the_bank_notification_is_not_matched_by_code()
    {
        var e = new ExpectedCredit(Guid.NewGuid(), Guid.NewGuid(), "TT7KQ2M9XA", "FT1", 135_000, Day);
        var late = new StatementLine(1, "B1", Day.AddDays(10), 135_000, "TT7KQ2M9XA", "ACC");
        var held = new StatementLine(2, "H1", Day, 50_000, "???", "ACC");
        var r = StatementMatcher.Match([late, held], [e], [new HeldCredit("H1", ReconciliationKind.AmountMismatch)], Window, Day.AddDays(9), Day.AddDays(11));
        Assert.Equal(MatchOutcome.UnknownCredit, r.Single(m => m.Line == late).Outcome);
        var h = r.Single(m => m.Line == held);
        Assert.Equal((MatchOutcome.AmountMismatch, true), (h.Outcome, h.Held));
        Assert.DoesNotContain(r, m => m.Outcome == MatchOutcome.MissingCredit); // paid before this statement's period
    }

    [Fact]
    public void A_payment_an_earlier_statement_matched_is_neither_missing_nor_matched_again()
    {
        var e = new ExpectedCredit(Guid.NewGuid(), Guid.NewGuid(), "TT7KQ2M9XA", "FT1", 135_000, Day);
        var again = new StatementLine(1, "B9", Day, 135_000, "TT 7KQ 2M9 XA", "ACC");
        var r = StatementMatcher.Match([again], [e], [], Window, Day.AddDays(-1), Day.AddDays(1), new HashSet<Guid> { e.AttemptId });
        Assert.Equal(MatchOutcome.Duplicate, r.Single().Outcome);
    }

    [Theory]
    [InlineData("NOP TTHC TT7KQ2M9XA", "TT7KQ2M9XA")]
    [InlineData("nop phi tt 7kq2-m9xa", "TT7KQ2M9XA")]
    [InlineData("TT0KQ2M9XA", null)] // 0 is not in the alphabet
    public void Codes_are_found_however_they_were_typed(string content, string? code)
    {
        var found = PaymentCodes.Candidates(content);
        if (code is null) Assert.Empty(found);
        else Assert.Contains(code, found);
    }

    // ---- Ledger: any sequence of payments, refunds, receipt corrections and reconciliation keeps the books balanced.

    public enum Op { RefundPart, RefundRest, ReplaceReceipt, CancelReceipt, HoldCredit, HeldToRefund, WriteOffHeld, WriteOffShortfall }

    [Property(MaxTest = 300)]
    public Property Any_sequence_of_money_events_keeps_every_ledger_balanced() =>
        Prop.ForAll(Gen.Elements(Enum.GetValues<Op>()).ListOf().ToArbitrary(), Gen.Choose(1, 99).ToArbitrary(), (ops, percent) =>
    {
        var order = TestData.Order(TestData.Licence, TestData.CriminalRecord);
        TestData.Pay(order);
        var journal = new List<LedgerTransaction> { Accounts.ForPayment(order, "sandbox", Day) };
        Money refunded = Money.Vnd(0), held = Money.Vnd(0);
        var cancelled = false;
        int holds = 0, toRefund = 0, writtenOff = 0, shortfalls = 0;
        foreach (var op in ops)
        {
            var left = order.Amount - refunded;
            switch (op)
            {
                case Op.RefundPart when !cancelled && left.Minor > 1:
                case Op.RefundRest when !cancelled && !left.IsZero:
                    var amount = op == Op.RefundRest ? left : Money.Vnd(Math.Max(1, left.Minor * percent / 100));
                    journal.Add(Accounts.ForRefund(order, amount, refunded, "sandbox", Day));
                    refunded += amount;
                    break;
                case Op.ReplaceReceipt when !cancelled && refunded.IsZero:
                    journal.Add(Accounts.ForReceiptReplaced(order, "BL26-1", "BL26-2", Day));
                    break;
                case Op.CancelReceipt when !cancelled && refunded.IsZero:
                    journal.Add(Accounts.ForReceiptCancelled(order, "BL26-1", Day));
                    cancelled = true;
                    break;
                case Op.HoldCredit:
                    journal.Add(Accounts.ForUnmatchedCredit(null, Money.Vnd(10_000), "vietqr", "B", Day));
                    held += Money.Vnd(10_000);
                    holds++;
                    break;
                case Op.HeldToRefund when !held.IsZero:
                    journal.Add(Accounts.ForHeldToRefund(Money.Vnd(10_000), "B", Day));
                    held -= Money.Vnd(10_000);
                    toRefund++;
                    break;
                case Op.WriteOffHeld when !held.IsZero:
                    journal.Add(Accounts.ForWriteOff(Money.Vnd(10_000), Money.Vnd(0), "vietqr", "B", Day));
                    held -= Money.Vnd(10_000);
                    writtenOff++;
                    break;
                case Op.WriteOffShortfall:
                    journal.Add(Accounts.ForWriteOff(Money.Vnd(0), Money.Vnd(5_000), "vietqr", "M", Day));
                    shortfalls++;
                    break;
            }
        }
        var balances = journal.SelectMany(t => t.Postings).GroupBy(p => p.Account)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Credit.Minor - p.Debit.Minor));
        long Bal(string account) => balances.GetValueOrDefault(account);
        var revenue = balances.Where(b => b.Key.StartsWith("revenue:")).Sum(b => b.Value);
        return journal.All(t => t.Postings.Sum(p => p.Debit.Minor) == t.Postings.Sum(p => p.Credit.Minor))
               && balances.Values.Sum() == 0
               && balances.Where(b => b.Key.StartsWith("revenue:")).All(b => b.Value >= 0)
               && -Bal(Accounts.Clearing("sandbox")) == order.Amount.Minor - refunded.Minor
               && revenue == (cancelled ? 0 : order.Amount.Minor - refunded.Minor)
               && Bal(Accounts.RefundReview) == (cancelled ? order.Amount.Minor : 0) + 10_000L * toRefund
               && Bal(Accounts.UnclaimedCredits) == 10_000L * writtenOff
               && -Bal(Accounts.ReconciliationLoss) == 5_000L * shortfalls
               && -Bal(Accounts.Clearing("vietqr")) == 10_000L * holds - 5_000L * shortfalls
               && Bal(Accounts.UnmatchedCredits) == held.Minor;
    });
}
