using System.Globalization;

namespace Payments.Domain.Common;

/// <summary>ISO 4217 currency with its minor-unit exponent. VND has none (exponent 0).</summary>
public readonly record struct Currency(string Code, int Exponent)
{
    public static readonly Currency Vnd = new("VND", 0);

    private static readonly Dictionary<string, Currency> Known = new(StringComparer.Ordinal)
    {
        ["VND"] = Vnd,
    };

    public static bool TryParse(string? code, out Currency currency) =>
        Known.TryGetValue(code ?? "", out currency);

    public static Currency Parse(string code) =>
        TryParse(code, out var c) ? c : throw new ArgumentException($"Unsupported currency '{code}'.", nameof(code));

    public override string ToString() => Code;
}

/// <summary>
/// An amount in whole minor units of one currency. Arithmetic is checked: an overflow is a bug, never a wrap.
/// </summary>
public readonly record struct Money(long Minor, Currency Currency) : IComparable<Money>
{
    public static Money Vnd(long dong) => new(dong, Currency.Vnd);

    public static Money Zero(Currency currency) => new(0, currency);

    public bool IsZero => Minor == 0;
    public bool IsNegative => Minor < 0;

    public static Money operator +(Money a, Money b) => new(checked(a.Minor + Same(a, b).Minor), a.Currency);
    public static Money operator -(Money a, Money b) => new(checked(a.Minor - Same(a, b).Minor), a.Currency);
    public static Money operator *(Money a, int factor) => new(checked(a.Minor * factor), a.Currency);
    public static bool operator <(Money a, Money b) => a.CompareTo(b) < 0;
    public static bool operator >(Money a, Money b) => a.CompareTo(b) > 0;
    public static bool operator <=(Money a, Money b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Money a, Money b) => a.CompareTo(b) >= 0;

    /// <summary>The given percentage of this amount, rounded half up to a whole minor unit.</summary>
    public Money Percent(int percent)
    {
        if (percent is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(percent));
        if (Minor < 0) throw new InvalidOperationException("Percent of a negative amount is not defined here.");
        return new(checked(Minor * percent + 50) / 100, Currency);
    }

    public int CompareTo(Money other) => Minor.CompareTo(Same(this, other).Minor);

    private static Money Same(Money a, Money b) =>
        a.Currency == b.Currency ? b : throw new InvalidOperationException($"Currency mismatch: {a.Currency} vs {b.Currency}.");

    /// <summary>Vietnamese display form, e.g. "135.000 ₫".</summary>
    public string ToDisplayString()
    {
        var nfi = new NumberFormatInfo { NumberGroupSeparator = ".", NumberDecimalSeparator = ",", NegativeSign = "-" };
        if (Currency.Exponent == 0)
            return Minor.ToString("#,0", nfi) + (Currency == Currency.Vnd ? " ₫" : " " + Currency.Code);
        var major = Minor / (decimal)Pow10(Currency.Exponent);
        return major.ToString("#,0." + new string('0', Currency.Exponent), nfi) + " " + Currency.Code;
    }

    private static long Pow10(int e) { long r = 1; for (var i = 0; i < e; i++) r *= 10; return r; }

    public override string ToString() => $"{Minor} {Currency.Code} (minor units)";
}
