using System.Collections.Concurrent;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.Receipts;

/// <summary>
/// Signs receipts on a thread of its own, so that on SQLite the single writer's turn does not wait for the signature: an
/// RSA-2048 signature costs ~0.2 ms, which was a third of a payment's turn (ADR-0027). The receipt is written unsigned
/// in the payment's turn; its seal is written by the group's commit, in the same transaction, before COMMIT — so no
/// receipt is ever committed without its signature. Dedicated threads (not the thread pool) because the committer
/// waits for them synchronously: a pool work item could queue behind the very threads that wait for it.
/// </summary>
public sealed class ReceiptSealer : IDisposable
{
    private readonly IReceiptIssuerPort _issuer;
    private readonly BlockingCollection<Work> _queue = new();
    private readonly Thread[] _threads;

    /// <summary>
    /// One sealing thread per core (at most four): a group's commit waits for all its receipts' seals, so with one thread
    /// a group of eight payments waited for eight signatures in a row (~1.6 ms) while holding the writer's turn.
    /// </summary>
    public ReceiptSealer(IReceiptIssuerPort issuer)
    {
        _issuer = issuer;
        _threads = Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 1, 4))
            .Select(i => new Thread(Run) { IsBackground = true, Name = $"receipt sealer {i + 1}" }).ToArray();
        foreach (var thread in _threads) thread.Start();
    }

    private volatile bool _failing;

    /// <summary>
    /// False once a signature made here failed, until one made in place succeeds again. A failure here fails the whole
    /// commit group it was waited for in — other commands' writes too — so while signing fails, receipts are signed in
    /// their own command's turn, where a failure undoes only that command.
    /// </summary>
    public bool Healthy => !_failing;

    /// <summary>A signature (in place or here) failed, or one took too long to wait for.</summary>
    public void Failed() => _failing = true;

    /// <summary>A signature made in place succeeded: signing works again.</summary>
    public void Recovered() => _failing = false;

    /// <summary>The seal, computed off the caller's thread; the task faults when signing does.</summary>
    public Task<ReceiptSeal> SignAsync(Receipt receipt, DateTimeOffset now)
    {
        var work = new Work(receipt, now, new TaskCompletionSource<ReceiptSeal>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Add(work);
        return work.Done.Task;
    }

    private void Run()
    {
        foreach (var work in _queue.GetConsumingEnumerable())
        {
            try { work.Done.SetResult(_issuer.Sign(work.Receipt, work.Now)); }
            catch (Exception ex)
            {
                Failed();
                work.Done.SetException(ex);
            }
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        var until = DateTime.UtcNow.AddSeconds(5);
        foreach (var thread in _threads) thread.Join(until - DateTime.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero);
    }

    private sealed record Work(Receipt Receipt, DateTimeOffset Now, TaskCompletionSource<ReceiptSeal> Done);
}
