using Payments.Api.Features.Receipts;

namespace Payments.Api.Tests;

/// <summary>
/// A group's commit waits for the seals of all its receipts, so the sealer signs on as many threads as there are cores
/// (at most four): with one, a group of eight payments waited for eight RSA signatures in a row in the writer's turn.
/// </summary>
public class ReceiptSealerTests
{
    /// <summary>Signs only once <paramref name="together"/> signatures are in progress at the same time (or fails after 10 s).</summary>
    private sealed class MeetingSigner(int together) : IReceiptIssuerPort
    {
        private readonly Barrier _barrier = new(together);

        public ReceiptSeal Sign(Domain.Receipts.Receipt receipt, DateTimeOffset now)
        {
            if (!_barrier.SignalAndWait(TimeSpan.FromSeconds(10))) throw new TimeoutException("Signatures were not made side by side.");
            return new ReceiptSeal("sha", "sig", "RS256", "CN=test", "thumb", "cert", now);
        }
    }

    [Fact]
    public async Task Receipts_are_signed_side_by_side_on_one_thread_per_core()
    {
        var threads = Math.Clamp(Environment.ProcessorCount, 1, 4);
        using var sealer = new ReceiptSealer(new MeetingSigner(threads));
        var now = DateTimeOffset.UtcNow;
        var seals = await Task.WhenAll(Enumerable.Range(0, threads * 3).Select(_ => sealer.SignAsync(null!, now)));
        Assert.All(seals, s => Assert.Equal("sig", s.Signature));
        Assert.True(sealer.Healthy);
    }
}
