using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Payments.Domain.Common;
using Payments.Providers.Contract;
using Payments.Providers.VietQr;

namespace Payments.Providers.Tests;

public class VietQrPayloadTests
{
    private static JsonElement Vectors() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "vietqr.json"))).RootElement;

    public static IEnumerable<object[]> Valid() => Vectors().GetProperty("valid").EnumerateArray().Select(v => new object[] { v.GetRawText() });
    public static IEnumerable<object[]> Invalid() => Vectors().GetProperty("invalid").EnumerateArray().Select(v => new object[] { v.GetRawText() });

    [Fact]
    public void Crc_is_ccitt_false() =>
        Assert.Equal(Vectors().GetProperty("crc_check").GetProperty("crc16_ccitt_false").GetString(), VietQrPayload.Crc16("123456789"));

    [Theory]
    [MemberData(nameof(Valid))]
    public void Builds_each_valid_vector_exactly_and_accepts_it(string json)
    {
        var v = JsonDocument.Parse(json).RootElement;
        var f = v.GetProperty("fields");
        string? Opt(string name) => f.TryGetProperty(name, out var p) ? p.GetString() : null;
        var built = VietQrPayload.Build(new VietQrPayload.Fields(f.GetProperty("bin").GetString()!, f.GetProperty("account").GetString()!,
            f.GetProperty("service").GetString()!, f.GetProperty("amount").GetInt64(), Opt("bill"), Opt("purpose")));
        Assert.Equal(v.GetProperty("payload").GetString(), built);
        Assert.Null(VietQrPayload.Validate(built));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_each_invalid_vector(string json)
    {
        var v = JsonDocument.Parse(json).RootElement;
        Assert.NotNull(VietQrPayload.Validate(v.GetProperty("payload").GetString()!));
    }

    [Fact]
    public void Diacritics_are_dropped_and_long_text_is_cut()
    {
        var p = VietQrPayload.Build(new("970436", "0011000123456", VietQrPayload.ToAccount, 135_000, null, "Lệ phí hồ sơ đăng ký kinh doanh số một"));
        Assert.Null(VietQrPayload.Validate(p));
        Assert.Contains("0825Le phi ho so dang ky kinh", p);
    }

    [Fact]
    public void Generated_payloads_decode_from_the_png_back_to_the_same_string()
    {
        var zbar = File.Exists("/usr/bin/zbarimg") ? "/usr/bin/zbarimg" : null;
        if (zbar is null)
        {
            // Under CI the decoder must be there (test.sh installs zbar-tools); a developer without it is told how.
            Assert.Fail("zbarimg is missing: apt-get install zbar-tools (./test.sh does this when run as root).");
        }
        var provider = new VietQrProvider(new VietQrOptions { Bin = "970436", AccountNumber = "0011000123456", NotifySecret = "a-notify-secret-0123456789" });
        var payload = provider.PayloadFor("TT7KQ2M9XA", Money.Vnd(135_000));
        var file = Path.Combine(Path.GetTempPath(), $"vietqr-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(file, VietQrImages.Png(payload));
        try
        {
            var run = Process.Start(new ProcessStartInfo(zbar, ["--raw", "-q", file]) { RedirectStandardOutput = true })!;
            var decoded = run.StandardOutput.ReadToEnd().TrimEnd('\n');
            run.WaitForExit();
            Assert.Equal(payload, decoded);
            Assert.Null(VietQrPayload.Validate(decoded));
            Assert.Equal("135000", VietQrPayload.FieldOf(decoded, "54"));
        }
        finally { File.Delete(file); }
        Assert.StartsWith("<svg", VietQrImages.Svg(payload).TrimStart());
    }
}

public class VietQrProviderTests
{
    private const string Secret = "a-notify-secret-0123456789";
    private readonly VietQrProvider _provider = new(new VietQrOptions { Bin = "970436", AccountNumber = "0011000123456", AccountName = "TT PVHCC", NotifySecret = Secret });

    private static CallbackRequest Credit(string body, string? signature = null) =>
        new(new Dictionary<string, string>(), new Dictionary<string, string>
        {
            ["X-Signature"] = signature ?? Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body))),
        }, Encoding.UTF8.GetBytes(body), DateTimeOffset.UtcNow);

    private const string Line = """{"bankTxnId":"FT2632800001","account":"0011000123456","amount":135000,"content":"tt 7kq2-m9xa nop le phi","bookedAt":"2026-11-23T15:00:00+07:00"}""";

    [Fact]
    public void A_signed_credit_parses_with_its_payment_code_found_in_hand_typed_content()
    {
        var n = _provider.VerifyCallback(Credit(Line)).Notification!;
        Assert.Equal("TT7KQ2M9XA", n.ProviderReference);
        Assert.Equal(Money.Vnd(135_000), n.Amount);
        Assert.Equal("FT2632800001", n.Credit!.BankTxnId);
    }

    [Fact]
    public void A_forged_or_altered_credit_is_rejected()
    {
        Assert.Equal(CallbackResult.InvalidSignature, _provider.VerifyCallback(Credit(Line, signature: new string('a', 64))).Rejection);
        var signedThenAltered = Credit(Line);
        var altered = signedThenAltered with { Body = Encoding.UTF8.GetBytes(Line.Replace("135000", "1350000")) };
        Assert.Equal(CallbackResult.InvalidSignature, _provider.VerifyCallback(altered).Rejection);
        Assert.Equal(CallbackResult.InvalidSignature, _provider.VerifyCallback(Credit(Line) with { Headers = new Dictionary<string, string>() }).Rejection);
    }

    [Fact]
    public void A_credit_to_another_account_is_not_ours() =>
        Assert.Equal(CallbackResult.Error, _provider.VerifyCallback(Credit(Line.Replace("0011000123456", "999"))).Rejection);

    [Theory]
    [InlineData("chuyen tien", null)]
    [InlineData("TT7KQ2M9XA", "TT7KQ2M9XA")]
    [InlineData("Nop phi TT 7KQ2 M9XA ho so 1", "TT7KQ2M9XA")]
    [InlineData("tt7kq2m9xa", "TT7KQ2M9XA")]
    public void Payment_codes_are_found_case_and_punctuation_insensitively(string content, string? code) =>
        Assert.Equal(code, VietQrProvider.FindPaymentCode(content));

    [Fact]
    public void Bad_configuration_stops_the_adapter() =>
        Assert.Throws<InvalidOperationException>(() => new VietQrProvider(new VietQrOptions { Bin = "97043", AccountNumber = "1", NotifySecret = Secret }));
}

public class VietQrCandidateTests
{
    [Fact]
    public void A_false_code_before_the_real_one_does_not_hide_it() =>
        Assert.Contains("TT7KQ2M9XA", VietQrProvider.PaymentCodeCandidates("Nop TTHC TT7KQ2M9XA"));
}
