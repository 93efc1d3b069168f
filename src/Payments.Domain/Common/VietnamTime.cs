namespace Payments.Domain.Common;

/// <summary>Vietnam keeps GMT+7 all year (no daylight saving); receipt years and dates are counted in it.</summary>
public static class VietnamTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public static DateTimeOffset ToVietnam(this DateTimeOffset instant) => instant.ToOffset(Offset);

    public static int YearOf(DateTimeOffset instant) => instant.ToOffset(Offset).Year;

    /// <summary>Midnight in Vietnam of the day the instant falls on there.</summary>
    public static DateTimeOffset StartOfDay(DateTimeOffset instant) => new(instant.ToOffset(Offset).Date, Offset);
}
