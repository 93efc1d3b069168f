using System.Text.Json;
using Payments.Domain.Receipts;

namespace Payments.Domain.Tests;

public class AmountWordsTests
{
    public static IEnumerable<object[]> Vectors() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "amount-words.json")))
            .RootElement.GetProperty("vectors").EnumerateObject().Select(p => new object[] { long.Parse(p.Name), p.Value.GetString()! });

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Every_shared_vector_reads_right(long amount, string words) => Assert.Equal(words, VietnameseAmountWords.ToWords(amount));

    [Theory]
    [InlineData(10, "Mười đồng")]
    [InlineData(11, "Mười một đồng")]
    [InlineData(14, "Mười bốn đồng")]
    [InlineData(20, "Hai mươi đồng")]
    [InlineData(25, "Hai mươi lăm đồng")]
    [InlineData(101, "Một trăm linh một đồng")]
    [InlineData(110, "Một trăm mười đồng")]
    [InlineData(1_000, "Một nghìn đồng")]
    [InlineData(1_010, "Một nghìn không trăm mười đồng")]
    [InlineData(50_000, "Năm mươi nghìn đồng")]
    [InlineData(67_500, "Sáu mươi bảy nghìn năm trăm đồng")]
    [InlineData(1_000_000_001, "Một tỷ không trăm linh một đồng")]
    [InlineData(1_001_000_000, "Một tỷ không trăm linh một triệu đồng")]
    [InlineData(999_999_999_999, "Chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng")]
    public void Reads_the_rules_of_section_6(long amount, string words) => Assert.Equal(words, VietnameseAmountWords.ToWords(amount));

    [Fact]
    public void Negative_amounts_are_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => VietnameseAmountWords.ToWords(-1));
}
