using Microsoft.Extensions.DependencyInjection;

namespace Payments.Api.Tests;

/// <summary>Each test gets its own store, so the numbers it sees are all the numbers there are.</summary>
public class ReceiptNumberingTests
{
    private static IReadOnlyList<int> Numbers(ApiFactory api) =>
        api.Db(db => db.Receipts.Select(r => r.Number).ToList()).OrderBy(n => n).ToList();

    [Fact]
    public async Task Sequential_payments_number_receipts_1_to_n()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        for (var i = 0; i < 12; i++) await portal.PayAsync($"NUM-SEQ-{i}");
        Assert.Equal(Enumerable.Range(1, 12), Numbers(api));
        Assert.Single(api.Db(db => db.Receipts.Select(r => r.Series).Distinct().ToList()));
    }

    [Fact]
    public async Task Concurrent_payments_number_receipts_1_to_n_without_gaps()
    {
        using var api = new ApiFactory();
        var portal = api.Portal();
        const int n = 40;
        var ready = new List<(string Reference, int Index)>();
        for (var i = 0; i < n; i++)
        {
            var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: $"NUM-PAR-{i}"));
            ready.Add(((await portal.StartAttemptAsync(order.GetProperty("id").GetString()!)).GetProperty("providerReference").GetString()!, i));
        }
        // A few forged and wrong-amount callbacks in the mix must not take numbers either.
        var client = api.Anonymous();
        var calls = ready.SelectMany(r => new[]
        {
            client.SendIpnAsync(Wire.Ipn(r.Reference, 13_500_000, (16_000_000 + r.Index).ToString())),
            client.SendIpnAsync(Wire.Ipn(r.Reference, 135_000, (17_000_000 + r.Index).ToString())),
            client.SendIpnAsync(Wire.Ipn(r.Reference, 13_500_000, (18_000_000 + r.Index).ToString(), secret: "forged-secret-0123456789")),
        });
        var codes = await Task.WhenAll(calls);
        Assert.Equal(n, codes.Count(c => c == "00"));
        Assert.Equal(Enumerable.Range(1, n), Numbers(api));
    }

    /// <summary>
    /// A series' last number is its last: the payment after it is refused (the provider retries later), spends nothing,
    /// and the counter keeps exactly what was taken. On SQLite the number is taken by one UPDATE … RETURNING in the
    /// writer's turn: what it wrote must be undone with the refused payment, and the counter and version it leaves must
    /// be those EF's save left. (The statement's own guard at the maximum is a second line: the domain's check refuses
    /// first either way, so this test does not tell the two apart.)
    /// </summary>
    [Fact]
    public async Task A_series_out_of_numbers_refuses_the_payment_and_its_counter_keeps_the_last_number()
    {
        using var api = new ApiFactory();
        const string agency = "000.00.12.H29";
        api.Db(db =>
        {
            foreach (var s in db.ReceiptSeries.Where(s => s.AgencyCode == agency && s.Active).ToList()) s.Retire();
            db.ReceiptSeries.Add(new Domain.Receipts.ReceiptSeries(agency, "01BLP0-002", "TN", maxNumber: 2));
            return db.SaveChanges();
        });
        var portal = api.Portal();
        await portal.PayAsync("NUM-END-1");
        await portal.PayAsync("NUM-END-2");

        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "NUM-END-3"));
        var id = order.GetProperty("id").GetString()!;
        var reference = (await portal.StartAttemptAsync(id)).GetProperty("providerReference").GetString()!;
        Assert.Equal("99", await api.Anonymous().SendIpnAsync(Wire.Ipn(reference, order.GetProperty("amount").GetProperty("value").GetInt64() * 100, "5560003")));

        Assert.NotEqual("paid", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
        Assert.Equal([1, 2], api.Db(db => db.Receipts.Where(r => r.Series.StartsWith("TN")).Select(r => r.Number).ToList()).Order());
        var counter = api.Db(db => db.ReceiptCounters.Single(c => c.SeriesId == db.ReceiptSeries.Single(s => s.SeriesLetters == "TN").Id));
        Assert.Equal((2, 2), (counter.LastNumber, counter.Version));
    }

    /// <summary>
    /// On SQLite the receipt is signed off the writer's turn and its seal written by the group's commit (ADR-0027). A
    /// signature that fails must fail the whole payment: nothing written, no number spent; the provider's retry then pays.
    /// </summary>
    [Fact]
    public async Task A_receipt_that_cannot_be_signed_fails_its_payment_whole_and_takes_no_number()
    {
        var signer = new FailingSigner();
        using var api = SignedBy(signer);
        var portal = api.Portal();
        await portal.PayAsync("SEAL-FAIL-1");

        var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: "SEAL-FAIL-2"));
        var id = order.GetProperty("id").GetString()!;
        var reference = (await portal.StartAttemptAsync(id)).GetProperty("providerReference").GetString()!;
        var ipn = Wire.Ipn(reference, order.GetProperty("amount").GetProperty("value").GetInt64() * 100, "5550001");
        signer.Fail = true;
        Assert.Equal("99", await api.Anonymous().SendIpnAsync(ipn));
        Assert.Equal([1], Numbers(api));
        Assert.NotEqual("paid", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
        var orderId = new Domain.Common.PaymentOrderId(Guid.Parse(id));
        Assert.Equal(0, api.Db(db => db.LedgerTransactions.Count(t => t.OrderId == orderId)));
        Assert.Equal(0, api.Db(db => db.Outbox.Count(m => m.AggregateId == id)));

        signer.Fail = false;
        Assert.Equal("00", await api.Anonymous().SendIpnAsync(ipn));
        Assert.Equal([1, 2], Numbers(api));
        Assert.Equal("paid", (await portal.GetOrderAsync(id)).GetProperty("status").GetString());
        var receipt = api.Db(db => db.Receipts.Single(r => r.OrderId == orderId));
        Assert.True(Features.Receipts.ReceiptVerification.SignatureChecks(receipt));
    }

    /// <summary>
    /// A failed signature at a group's commit fails the whole group, other commands' writes included (found in review).
    /// After one such failure the receipts are signed in their own command's turn until signing works again, so an
    /// outage of the signing key fails the payments only — not order creates that happen to share their group.
    /// </summary>
    [Fact]
    public async Task While_receipts_cannot_be_signed_other_writes_still_commit_and_payments_resume_with_the_next_numbers()
    {
        var signer = new FailingSigner();
        using var api = SignedBy(signer);
        var portal = api.Portal();
        var client = api.Anonymous();
        await portal.PayAsync("SEAL-OUT-0");
        var ipns = new List<string>();
        for (var i = 1; i <= 9; i++)
        {
            var order = await portal.CreateOrderAsync(Wire.OrderBody(dossier: $"SEAL-OUT-{i}"));
            var reference = (await portal.StartAttemptAsync(order.GetProperty("id").GetString()!)).GetProperty("providerReference").GetString()!;
            ipns.Add(Wire.Ipn(reference, order.GetProperty("amount").GetProperty("value").GetInt64() * 100, (7_770_000 + i).ToString()));
        }

        signer.Fail = true;
        Assert.Equal("99", await client.SendIpnAsync(ipns[0]));
        var payments = ipns.Skip(1).Select(ipn => client.SendIpnAsync(ipn)).ToList();
        var creates = Enumerable.Range(0, 24).Select(i => portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: $"SEAL-OUT-NEW-{i}"), $"seal-out-{i}"))).ToList();
        Assert.All(await Task.WhenAll(payments), code => Assert.Equal("99", code));
        Assert.All(await Task.WhenAll(creates), res => Assert.Equal(System.Net.HttpStatusCode.Created, res.StatusCode));
        Assert.Equal([1], Numbers(api));

        signer.Fail = false;
        foreach (var ipn in ipns) Assert.Equal("00", await client.SendIpnAsync(ipn));
        Assert.Equal(Enumerable.Range(1, 10), Numbers(api));
        Assert.True(api.Services.GetRequiredService<Features.Receipts.ReceiptSealer>().Healthy);
        Assert.All(api.Db(db => db.Receipts.ToList()), r => Assert.True(Features.Receipts.ReceiptVerification.SignatureChecks(r)));
    }

    /// <summary>A store whose receipts are signed through <paramref name="signer"/> (over the configured certificate).</summary>
    private static ApiFactory SignedBy(FailingSigner signer) =>
        new ApiFactory().WithServices(s => s.AddSingleton<Features.Receipts.IReceiptIssuerPort>(sp =>
            signer.Over(new Features.Receipts.CertificateReceiptSigner(Features.Receipts.ReceiptCertificates.Load(
                sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)))));

    private sealed class FailingSigner : Features.Receipts.IReceiptIssuerPort
    {
        private Features.Receipts.IReceiptIssuerPort _inner = null!;
        public volatile bool Fail;

        public FailingSigner Over(Features.Receipts.IReceiptIssuerPort inner)
        {
            _inner = inner;
            return this;
        }

        public Features.Receipts.ReceiptSeal Sign(Domain.Receipts.Receipt receipt, DateTimeOffset now) =>
            Fail ? throw new System.Security.Cryptography.CryptographicException("The signing key is not available.") : _inner.Sign(receipt, now);
    }
}
