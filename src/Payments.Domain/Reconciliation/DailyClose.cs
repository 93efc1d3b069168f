using Payments.Domain.Common;

namespace Payments.Domain.Reconciliation;

/// <summary>One payment method at the desk: what the system recorded and what the cashier counted (cash) or the terminal printed.</summary>
public sealed record CloseLine(string Method, long Expected, long Counted)
{
    public long Difference => Counted - Expected;
}

/// <summary>A payment the close covers, as the close report lists it.</summary>
public sealed record ClosedPayment(DateTimeOffset At, string DossierCode, string Method, long Amount, string? Receipt);

/// <summary>
/// The end of a cashier's day at a desk (chốt quỹ): expected against counted per method, any difference explained,
/// then the day is locked — no more counter payments by that cashier for that day. Kept as recorded; never edited.
/// </summary>
public sealed class DailyClose
{
    private DailyClose() { AgencyCode = Desk = Explanation = ClosedBy = ""; Lines = []; Payments = []; }

    public Guid Id { get; private set; }
    public string AgencyCode { get; private set; }
    /// <summary>The cashier whose desk is closed, as their counter payments name them.</summary>
    public string Desk { get; private set; }
    /// <summary>The Vietnam calendar day closed.</summary>
    public DateOnly Day { get; private set; }
    public IReadOnlyList<CloseLine> Lines { get; private set; }
    public IReadOnlyList<ClosedPayment> Payments { get; private set; }
    public string Explanation { get; private set; }
    public string ClosedBy { get; private set; }
    public DateTimeOffset ClosedAt { get; private set; }

    public long Expected => Lines.Sum(l => l.Expected);
    public long Counted => Lines.Sum(l => l.Counted);
    public bool Balanced => Lines.All(l => l.Difference == 0);

    /// <param name="counted">Per method; a method the cashier did not enter counts as zero.</param>
    public static Result<DailyClose> Create(string agencyCode, string desk, DateOnly day, IReadOnlyList<ClosedPayment> payments,
        IReadOnlyDictionary<string, long> counted, string? explanation, string closedBy, DateTimeOffset now)
    {
        if (counted.Values.Any(v => v < 0)) return Error.Validation("invalid_count", "Counted amounts are whole đồng, not negative.");
        var methods = payments.Select(p => p.Method).Concat(counted.Keys).Distinct().Order(StringComparer.Ordinal);
        var lines = methods.Select(m => new CloseLine(m, payments.Where(p => p.Method == m).Sum(p => p.Amount), counted.GetValueOrDefault(m))).ToList();
        var text = explanation?.Trim() ?? "";
        if (lines.Any(l => l.Difference != 0) && text.Length < 10)
            return Error.Validation("explanation_required", "Counted and expected differ: explain the difference (at least 10 characters).");
        if (text.Length > 1000) return Error.Validation("explanation_too_long", "Keep the explanation under 1,000 characters.");
        return new DailyClose
        {
            Id = Guid.CreateVersion7(), AgencyCode = agencyCode, Desk = desk, Day = day, Lines = lines, Payments = payments.OrderBy(p => p.At).ToList(),
            Explanation = text, ClosedBy = closedBy, ClosedAt = now,
        };
    }
}
