namespace Payments.Domain.Common;

/// <summary>Vietnam keeps GMT+7 all year (no daylight saving); receipt years and dates are counted in it.</summary>
public static class VietnamTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public static DateTimeOffset ToVietnam(this DateTimeOffset instant) => instant.ToOffset(Offset);

    public static int YearOf(DateTimeOffset instant) => instant.ToOffset(Offset).Year;

    /// <summary>Midnight in Vietnam of the day the instant falls on there.</summary>
    public static DateTimeOffset StartOfDay(DateTimeOffset instant) => new(instant.ToOffset(Offset).Date, Offset);

    /// <summary>The Vietnam calendar day an instant falls on.</summary>
    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The instants of Vietnam days <paramref name="from"/> to <paramref name="to"/>, both included: [start, end).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Days(DateOnly from, DateOnly to) =>
        (new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), Offset), new DateTimeOffset(to.ToDateTime(TimeOnly.MinValue), Offset).AddDays(1));
}
