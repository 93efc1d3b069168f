using Payments.Domain.Common;

namespace Payments.Domain.Receipts;

/// <summary>
/// A receipt series registered by an agency: the template symbol (ký hiệu mẫu) and the series letters; the series
/// symbol printed on a receipt is the letters followed by the last two digits of the year of issue.
/// </summary>
public sealed class ReceiptSeries
{
    private ReceiptSeries() { AgencyCode = TemplateSymbol = SeriesLetters = ""; }

    public ReceiptSeries(string agencyCode, string templateSymbol, string seriesLetters, int maxNumber = 9_999_999)
    {
        if (maxNumber is < 1 or > 99_999_999) throw new ArgumentOutOfRangeException(nameof(maxNumber), "Numbers have at most 8 digits.");
        if (seriesLetters.Length is 0 or > 6 || !seriesLetters.All(char.IsAsciiLetterUpper))
            throw new ArgumentException("Series letters: 1–6 upper-case letters.", nameof(seriesLetters));
        AgencyCode = agencyCode;
        TemplateSymbol = templateSymbol;
        SeriesLetters = seriesLetters;
        MaxNumber = maxNumber;
        Active = true;
    }

    public int Id { get; private set; }
    public string AgencyCode { get; private set; }
    public string TemplateSymbol { get; private set; }
    public string SeriesLetters { get; private set; }
    /// <summary>Decree 123 allows 7 digits, Decree 254 8 [check]: configurable per series.</summary>
    public int MaxNumber { get; private set; }

    /// <summary>Digits printed: as many as the largest number has.</summary>
    public int NumberWidth => MaxNumber.ToString().Length;
    public bool Active { get; private set; }

    public string SeriesSymbolFor(int year) => $"{SeriesLetters}{year % 100:00}";

    /// <summary>A newer series takes over: this one issues no more numbers (its receipts stay as they are).</summary>
    public void Retire() => Active = false;
}

/// <summary>
/// The last number used in one series in one calendar year (Vietnam time). Incremented in the same transaction
/// that marks the order paid, so a rolled-back payment never burns a number: numbers stay 1..N without gaps.
/// </summary>
public sealed class ReceiptCounter
{
    private ReceiptCounter() { }

    public ReceiptCounter(int seriesId, int year) { SeriesId = seriesId; Year = year; }

    /// <summary>
    /// The counter as the store held it before a number was taken from it, for a store that takes the number itself
    /// (one <c>UPDATE … RETURNING</c> on SQLite): <see cref="Next"/> then yields the number the store took.
    /// </summary>
    public static ReceiptCounter Before(int seriesId, int year, int takenNumber, int versionAfter) =>
        takenNumber < 1 || versionAfter < 1
            ? throw new ArgumentOutOfRangeException(nameof(takenNumber), "A taken number and its version start at 1.")
            : new ReceiptCounter(seriesId, year) { LastNumber = takenNumber - 1, Version = versionAfter - 1 };

    public int SeriesId { get; private set; }
    public int Year { get; private set; }
    public int LastNumber { get; private set; }
    /// <summary>Optimistic concurrency token: two writers taking the same number conflict instead of both winning.</summary>
    public int Version { get; private set; }

    public Result<int> Next(ReceiptSeries series)
    {
        if (series.Id != SeriesId) throw new ArgumentException("Counter belongs to another series.", nameof(series));
        if (LastNumber >= series.MaxNumber)
            return Error.Conflict("receipt_series_exhausted", $"Series {series.SeriesSymbolFor(Year)} has no numbers left this year.");
        LastNumber++;
        Version++;
        return LastNumber;
    }
}
