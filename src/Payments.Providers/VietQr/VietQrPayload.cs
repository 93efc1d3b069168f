using System.Globalization;
using System.Text;

namespace Payments.Providers.VietQr;

/// <summary>
/// NAPAS VietQR (EMVCo merchant-presented) payloads: TLV objects (2-digit id, 2-digit length, value), id 00 first
/// and 63 (CRC-16/CCITT-FALSE over everything before the CRC value, including "6304") last. VIETNAM.md §2.
/// </summary>
public static class VietQrPayload
{
    public const string NapasGuid = "A000000727";
    public const string ToAccount = "QRIBFTTA";
    public const string ToCard = "QRIBFTTC";

    public sealed record Fields(string Bin, string Account, string Service, long? Amount, string? Bill, string? Purpose,
        string? MerchantName = null, string? City = null);

    public static string Build(Fields f)
    {
        if (f.Bin.Length != 6 || !f.Bin.All(char.IsAsciiDigit)) throw new ArgumentException("A bank BIN is 6 digits.");
        if (f.Account.Length is 0 or > 19) throw new ArgumentException("Account or card number: 1–19 characters.");
        if (f.Service is not (ToAccount or ToCard)) throw new ArgumentException("Service code is QRIBFTTA or QRIBFTTC.");
        var sb = new StringBuilder();
        Tlv(sb, "00", "01");
        Tlv(sb, "01", f.Amount is null ? "11" : "12"); // 12: dynamic, one payment with its amount
        Tlv(sb, "38", Tlv("00", NapasGuid) + Tlv("01", Tlv("00", f.Bin) + Tlv("01", f.Account)) + Tlv("02", f.Service));
        Tlv(sb, "53", "704");
        if (f.Amount is { } amount)
        {
            if (amount <= 0) throw new ArgumentException("Amount must be positive.");
            Tlv(sb, "54", amount.ToString(CultureInfo.InvariantCulture));
        }
        Tlv(sb, "58", "VN");
        if (f.MerchantName is { Length: > 0 } name) Tlv(sb, "59", Ascii(name, 25));
        if (f.City is { Length: > 0 } city) Tlv(sb, "60", Ascii(city, 15));
        var additional = (f.Bill is { Length: > 0 } bill ? Tlv("01", Ascii(bill, 25)) : "")
                         + (f.Purpose is { Length: > 0 } purpose ? Tlv("08", Ascii(purpose, 25)) : "");
        if (additional.Length > 0) Tlv(sb, "62", additional);
        sb.Append("6304");
        return sb.Append(Crc16(sb.ToString())).ToString();
    }

    /// <summary>Parses and checks a payload at every TLV level; null when valid, otherwise why not.</summary>
    public static string? Validate(string payload)
    {
        if (payload.Length < 8 || !payload[^8..^4].Equals("6304", StringComparison.Ordinal)) return "the payload must end with the CRC object 63";
        if (!Crc16(payload[..^4]).Equals(payload[^4..], StringComparison.Ordinal)) return "the CRC does not match";
        var root = Parse(payload);
        if (root is null) return "the TLV structure is broken";
        if (root.Count == 0 || root[0].Id != "00" || root[0].Value != "01") return "the payload format indicator (00) must come first and be 01";
        if (root[^1].Id != "63") return "the CRC (63) must come last";
        var merchant = root.FirstOrDefault(o => o.Id == "38").Value;
        if (merchant is null || Parse(merchant) is not { } m) return "the merchant account (38) is missing or broken";
        if (m.FirstOrDefault(o => o.Id == "00").Value != NapasGuid) return "the merchant account is not NAPAS";
        if (m.FirstOrDefault(o => o.Id == "01").Value is not { } beneficiary || Parse(beneficiary) is not { } b
            || b.FirstOrDefault(o => o.Id == "00").Value is not { Length: 6 }) return "the beneficiary (38.01) is broken";
        if (root.FirstOrDefault(o => o.Id == "53").Value != "704") return "the currency (53) must be 704 (VND)";
        if (root.FirstOrDefault(o => o.Id == "62").Value is { } extra && Parse(extra) is null) return "the additional data (62) is broken";
        return null;
    }

    public static string? FieldOf(string payload, string id) => Parse(payload)?.FirstOrDefault(o => o.Id == id).Value;

    /// <summary>CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR; 4 upper-case hex digits.</summary>
    public static string Crc16(string data)
    {
        ushort crc = 0xFFFF;
        foreach (var b in Encoding.UTF8.GetBytes(data))
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++) crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
        }
        return crc.ToString("X4");
    }

    private static List<(string Id, string Value)>? Parse(string s)
    {
        var list = new List<(string, string)>();
        for (var i = 0; i < s.Length;)
        {
            if (i + 4 > s.Length || !int.TryParse(s.AsSpan(i + 2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var len) || len == 0
                || !s[i].IsAsciiDigitChar() || !s[i + 1].IsAsciiDigitChar() || i + 4 + len > s.Length) return null;
            list.Add((s.Substring(i, 2), s.Substring(i + 4, len)));
            i += 4 + len;
        }
        // Declared lengths must tile the string exactly; a value that is itself TLV is checked by its caller.
        return list;
    }

    private static bool IsAsciiDigitChar(this char c) => char.IsAsciiDigit(c);

    private static string Tlv(string id, string value)
    {
        if (value.Length is 0 or > 99) throw new ArgumentException($"Object {id} must be 1–99 characters.");
        return id + value.Length.ToString("00", CultureInfo.InvariantCulture) + value;
    }

    private static void Tlv(StringBuilder sb, string id, string value) => sb.Append(Tlv(id, value));

    /// <summary>Bank apps show these as typed: keep them ASCII without diacritics, within their length.</summary>
    private static string Ascii(string value, int max)
    {
        var plain = new string(value.Normalize(NormalizationForm.FormD)
            .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            .Select(c => c switch { 'đ' => 'd', 'Đ' => 'D', _ => c })
            .Where(c => c is >= ' ' and <= '~').ToArray());
        return plain.Length <= max ? plain : plain[..max];
    }
}
