using System.Text.Json;
using Payments.Domain.Common;
using Payments.Providers.Contract;
using Payments.Providers.Sandbox;
using Payments.Providers.Wallet;

namespace Payments.Providers.Tests;

public class WalletSignatureTests
{
    private static JsonElement Vector() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", "wallet-signature.json"))).RootElement;

    private static Dictionary<string, string> VectorParams() =>
        Vector().GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    [Fact]
    public void SignData_matches_the_shared_vector()
    {
        Assert.Equal(Vector().GetProperty("sign_data").GetString(), WalletSignature.SignData(VectorParams()));
    }

    [Fact]
    public void Signature_matches_the_shared_vector()
    {
        var v = Vector();
        Assert.Equal(v.GetProperty("hmac_sha512").GetString(), WalletSignature.Sign(VectorParams(), v.GetProperty("secret").GetString()!));
    }

    [Fact]
    public void Verify_accepts_the_vector_and_ignores_hash_type_and_empty_values()
    {
        var p = VectorParams();
        var v = Vector();
        p[WalletFields.SecureHash] = v.GetProperty("hmac_sha512").GetString()!.ToUpperInvariant();
        p[WalletFields.SecureHashType] = "HmacSHA512";
        p["vnp_BankCode"] = "";
        Assert.True(WalletSignature.Verify(p, v.GetProperty("secret").GetString()!));
    }

    [Theory]
    [InlineData("vnp_Amount", "1350000")]
    [InlineData("vnp_TxnRef", "HS0002")]
    [InlineData("vnp_OrderInfo", "Thanh toan le phi ho so 000.00.12.H29-261123-0002")]
    public void Verify_rejects_any_tampered_field(string field, string value)
    {
        var p = VectorParams();
        var v = Vector();
        p[WalletFields.SecureHash] = v.GetProperty("hmac_sha512").GetString()!;
        p[field] = value;
        Assert.False(WalletSignature.Verify(p, v.GetProperty("secret").GetString()!));
    }

    [Fact]
    public void Verify_rejects_a_missing_or_short_hash_and_a_wrong_secret()
    {
        var p = VectorParams();
        Assert.False(WalletSignature.Verify(p, "TESTSECRET0123456789ABCDEFGHIJKL"));
        p[WalletFields.SecureHash] = "abc";
        Assert.False(WalletSignature.Verify(p, "TESTSECRET0123456789ABCDEFGHIJKL"));
        p[WalletFields.SecureHash] = Vector().GetProperty("hmac_sha512").GetString()!;
        Assert.False(WalletSignature.Verify(p, "ANOTHERSECRET0123456789ABCDEFGHI"));
    }

    [Theory]
    [InlineData("a b", "a+b")]
    [InlineData("https://x.vn/a?b=c", "https%3A%2F%2Fx.vn%2Fa%3Fb%3Dc")]
    [InlineData("Lệ phí", "L%E1%BB%87+ph%C3%AD")]
    [InlineData("A-Z_a.z~*", "A-Z_a.z%7E%2A")]
    public void FormEncode_is_php_urlencode(string raw, string encoded) => Assert.Equal(encoded, WalletSignature.FormEncode(raw));
}

public class WalletGatewayTests
{
    private const string Secret = "unit-test-secret-0123456789";
    private static readonly WalletOptions Options = new() { Enabled = true, TmnCode = "TEST01", HashSecret = Secret, PayUrl = "https://wallet.example/pay" };
    private readonly SandboxProvider _provider = new(Options, null);

    private static Dictionary<string, string> Ipn(string amount = "13500000", string response = "00", string status = "00", string tmn = "TEST01")
    {
        var p = new Dictionary<string, string>
        {
            ["vnp_TmnCode"] = tmn, ["vnp_Amount"] = amount, ["vnp_TxnRef"] = "PAY1", ["vnp_TransactionNo"] = "987654",
            ["vnp_ResponseCode"] = response, ["vnp_TransactionStatus"] = status, ["vnp_PayDate"] = "20261123150100",
        };
        p["vnp_SecureHash"] = WalletSignature.Sign(p, Secret);
        return p;
    }

    private static CallbackRequest Req(Dictionary<string, string> p) => new(p, new Dictionary<string, string>(), [], DateTimeOffset.UtcNow);

    private static CallbackRequest Req(string amount = "13500000", string response = "00", string status = "00", string tmn = "TEST01") =>
        Req(Ipn(amount, response, status, tmn));

    [Fact]
    public async Task Start_builds_a_signed_redirect_in_units_times_100()
    {
        var start = await _provider.StartAttemptAsync(new AttemptRequest("PAY1", Money.Vnd(135_000), "Thanh toan", "https://us/pay/t", "127.0.0.1", "vn",
            new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 8, 15, 0, TimeSpan.Zero)), default);
        var uri = new Uri(start.RedirectUrl!);
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var p = query.AllKeys.ToDictionary(k => k!, k => query[k]!);
        Assert.Equal("13500000", p["vnp_Amount"]);
        Assert.Equal("20261123150000", p["vnp_CreateDate"]); // GMT+7
        Assert.Equal("20261123151500", p["vnp_ExpireDate"]);
        Assert.True(WalletSignature.Verify(p, Secret));
    }

    [Fact]
    public void A_valid_success_ipn_parses_into_our_units()
    {
        var v = _provider.VerifyCallback(Req());
        Assert.Equal(Money.Vnd(135_000), v.Notification!.Amount);
        Assert.Equal(NotificationOutcome.Succeeded, v.Notification.Outcome);
        Assert.Equal("987654", v.Notification.ProviderTransactionId);
    }

    [Fact]
    public void An_amount_that_is_not_a_multiple_of_100_is_not_an_amount()
    {
        Assert.Null(_provider.VerifyCallback(Req(amount: "13500050")).Notification!.Amount);
        Assert.Null(_provider.VerifyCallback(Req(amount: "-100")).Notification!.Amount);
    }

    [Theory]
    [InlineData("24", "02", NotificationOutcome.CancelledByPayer)]
    [InlineData("51", "02", NotificationOutcome.Failed)]
    [InlineData("00", "02", NotificationOutcome.Failed)]
    public void Only_00_and_00_is_success(string response, string status, NotificationOutcome expected) =>
        Assert.Equal(expected, _provider.VerifyCallback(Req(response: response, status: status)).Notification!.Outcome);

    [Fact]
    public void A_correctly_signed_ipn_for_another_merchant_is_rejected() =>
        Assert.Equal(CallbackResult.InvalidSignature, _provider.VerifyCallback(Req(tmn: "OTHER")).Rejection);

    [Fact]
    public void A_forged_ipn_is_rejected_before_parsing()
    {
        var p = Ipn();
        p["vnp_Amount"] = "100";
        Assert.Equal(CallbackResult.InvalidSignature, _provider.VerifyCallback(Req(p)).Rejection);
        Assert.Null(_provider.VerifyCallback(Req(p)).Notification);
    }

    [Theory]
    [InlineData(CallbackResult.Confirmed, "00")]
    [InlineData(CallbackResult.NotFound, "01")]
    [InlineData(CallbackResult.AlreadyConfirmed, "02")]
    [InlineData(CallbackResult.InvalidAmount, "04")]
    [InlineData(CallbackResult.InvalidSignature, "97")]
    [InlineData(CallbackResult.Error, "99")]
    public void Answers_use_the_wallet_codes(CallbackResult result, string code) =>
        Assert.Equal(code, JsonDocument.Parse(_provider.Answer(result).Body).RootElement.GetProperty("RspCode").GetString());

    [Fact]
    public void A_provider_without_a_secret_does_not_start() =>
        Assert.Throws<InvalidOperationException>(() => new SandboxProvider(new WalletOptions { Enabled = true, TmnCode = "X", PayUrl = "/p" }, null));

    [Fact]
    public void Registry_tells_unknown_from_disabled()
    {
        var registry = new ProviderRegistry([_provider], ProvidersModule.KnownCodes);
        Assert.Same(_provider, registry.Find("sandbox").Provider);
        Assert.Equal(ProviderLookupFailure.Disabled, registry.Find("vnptpay").Failure);
        Assert.Equal(ProviderLookupFailure.Unknown, registry.Find("paypal").Failure);
        Assert.Equal(ProviderLookupFailure.Unknown, registry.Find(null).Failure);
    }
}
