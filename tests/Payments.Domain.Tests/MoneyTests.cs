using Payments.Domain.Common;

namespace Payments.Domain.Tests;

public class MoneyTests
{
    [Fact]
    public void Vnd_has_no_minor_unit() => Assert.Equal(0, Currency.Vnd.Exponent);

    [Fact]
    public void Adds_and_multiplies_in_whole_units()
    {
        Assert.Equal(Money.Vnd(270_000), Money.Vnd(135_000) * 2);
        Assert.Equal(Money.Vnd(335_000), Money.Vnd(135_000) + Money.Vnd(200_000));
    }

    [Fact]
    public void Overflow_throws_instead_of_wrapping() =>
        Assert.Throws<OverflowException>(() => Money.Vnd(long.MaxValue) + Money.Vnd(1));

    [Fact]
    public void Mixing_currencies_throws() =>
        Assert.Throws<InvalidOperationException>(() => Money.Vnd(1) + new Money(1, new Currency("USD", 2)));

    [Theory]
    [InlineData(135_000, 50, 67_500)]
    [InlineData(135_001, 50, 67_501)] // half up
    [InlineData(3, 50, 2)]
    [InlineData(100, 0, 0)]
    [InlineData(100, 100, 100)]
    public void Percent_rounds_half_up(long amount, int percent, long expected) =>
        Assert.Equal(Money.Vnd(expected), Money.Vnd(amount).Percent(percent));

    [Theory]
    [InlineData(135_000, "135.000 ₫")]
    [InlineData(0, "0 ₫")]
    [InlineData(1_000_000_000, "1.000.000.000 ₫")]
    public void Displays_the_vietnamese_way(long amount, string expected) => Assert.Equal(expected, Money.Vnd(amount).ToDisplayString());
}
