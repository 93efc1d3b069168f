using System.Text;

namespace Payments.Domain.Receipts;

/// <summary>
/// Amount in Vietnamese words as printed on receipts (VIETNAM.md §6): "linh" for a zero tens digit, "nghìn",
/// "bốn" after "mươi", "mốt"/"lăm" rules, every group after the first read in full ("không trăm").
/// </summary>
public static class VietnameseAmountWords
{
    private static readonly string[] Digits = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];
    private static readonly string[] Scales = ["", "nghìn", "triệu", "tỷ"];

    public static string ToWords(long dong)
    {
        if (dong < 0) throw new ArgumentOutOfRangeException(nameof(dong), "Receipts carry no negative amounts.");
        if (dong == 0) return "Không đồng";

        // Groups of three digits, least significant first; "tỷ" repeats for amounts of a billion billion and up.
        var groups = new List<int>();
        for (var n = dong; n > 0; n /= 1000) groups.Add((int)(n % 1000));

        var words = new List<string>();
        for (var i = groups.Count - 1; i >= 0; i--)
        {
            if (groups[i] == 0) continue;
            var isFirst = i == groups.Count - 1;
            words.Add(ReadGroup(groups[i], full: !isFirst));
            var scale = ScaleWord(i);
            if (scale.Length > 0) words.Add(scale);
        }
        var text = string.Join(' ', words) + " đồng";
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static string ScaleWord(int groupIndex)
    {
        if (groupIndex == 0) return "";
        var sb = new StringBuilder(Scales[(groupIndex - 1) % 3 + 1]);
        for (var k = 0; k < (groupIndex - 1) / 3; k++) sb.Append(" tỷ");
        return sb.ToString();
    }

    /// <summary>Reads 0–999. <paramref name="full"/>: a non-leading group always says its hundreds ("không trăm").</summary>
    private static string ReadGroup(int n, bool full)
    {
        int hundreds = n / 100, tens = n / 10 % 10, units = n % 10;
        var parts = new List<string>();
        var saysHundreds = full || hundreds > 0;
        if (saysHundreds) parts.Add($"{Digits[hundreds]} trăm");

        if (tens == 0)
        {
            if (units > 0) { if (saysHundreds) parts.Add("linh"); parts.Add(Digits[units]); }
        }
        else if (tens == 1)
        {
            parts.Add("mười");
            if (units == 5) parts.Add("lăm");
            else if (units > 0) parts.Add(Digits[units]);
        }
        else
        {
            parts.Add($"{Digits[tens]} mươi");
            parts.Add(units switch { 0 => "", 1 => "mốt", 5 => "lăm", _ => Digits[units] });
        }
        return string.Join(' ', parts.Where(p => p.Length > 0));
    }
}
