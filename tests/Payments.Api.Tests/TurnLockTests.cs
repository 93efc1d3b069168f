using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Tests;

/// <summary>
/// The single writer's turn (<see cref="SingleWriterGate.TurnLock"/>): handed on in arrival order, inline to a command
/// joining the open commit group, through the thread pool to anyone else.
/// </summary>
public class TurnLockTests
{
    [Fact]
    public async Task Turns_are_handed_on_in_arrival_order()
    {
        var turn = new SingleWriterGate.TurnLock();
        await turn.WaitAsync(groupTurn: true);
        var order = new List<int>();
        var waits = Enumerable.Range(1, 5).Select(i => turn.WaitAsync(groupTurn: i % 2 == 0).ContinueWith(_ => { lock (order) order.Add(i); })).ToList();
        Assert.Equal(5, turn.Waiting);
        for (var i = 0; i < 5; i++)
        {
            turn.Release(inline: false);
            await waits[i].WaitAsync(TimeSpan.FromSeconds(10)); // out of order: a timeout, not a hang
        }
        Assert.Equal([1, 2, 3, 4, 5], order);
        Assert.Equal(0, turn.Waiting);
        turn.Release(inline: false);
        Assert.True(turn.WaitAsync(groupTurn: false).IsCompleted); // free again
    }

    [Fact]
    public async Task A_group_turn_handed_on_inline_runs_on_the_releasing_thread_before_release_returns() =>
        Assert.True(await RunsInsideReleaseAsync(groupTurn: true));

    /// <summary>A writer outside the groups (EnterAsync: the outbox, the janitor, …) is never run on the holder's thread.</summary>
    [Fact]
    public async Task Any_other_waiter_is_woken_on_the_thread_pool_even_when_inline_is_asked() =>
        Assert.False(await RunsInsideReleaseAsync(groupTurn: false));

    /// <summary>Whether a waiter handed the turn with <c>Release(inline: true)</c> runs on the releasing thread, inside the call.</summary>
    private static async Task<bool> RunsInsideReleaseAsync(bool groupTurn)
    {
        var turn = new SingleWriterGate.TurnLock();
        await turn.WaitAsync(groupTurn: true);
        var releasingThread = Environment.CurrentManagedThreadId;
        var releasing = false;
        var ranInside = false;
        var next = turn.WaitAsync(groupTurn)
            .ContinueWith(_ => ranInside = releasing && Environment.CurrentManagedThreadId == releasingThread, TaskContinuationOptions.ExecuteSynchronously);
        releasing = true;
        turn.Release(inline: true);
        releasing = false;
        await next;
        return ranInside;
    }

    /// <summary>Each inline hand-on nests frames; a long chain must go on through the thread pool, not overflow the stack.</summary>
    [Fact]
    public async Task A_long_chain_of_inline_hand_ons_does_not_overflow_the_stack()
    {
        var turn = new SingleWriterGate.TurnLock();
        await turn.WaitAsync(groupTurn: true);
        const int chain = 100_000;
        var done = 0;
        var waits = new Task[chain];
        for (var i = 0; i < chain; i++)
            waits[i] = turn.WaitAsync(groupTurn: true).ContinueWith(_ =>
            {
                Interlocked.Increment(ref done);
                turn.Release(inline: true);
            }, TaskContinuationOptions.ExecuteSynchronously);
        turn.Release(inline: true);
        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(chain, done);
        Assert.True(turn.WaitAsync(groupTurn: false).IsCompleted);
    }

    /// <summary>
    /// Shutdown waits for the turn with a timeout. A wait that gave up leaves the queue: the holder must not count it as
    /// a command to keep its group open for (found in review), and the turn is not handed to it.
    /// </summary>
    [Fact]
    public async Task A_timed_out_wait_leaves_the_queue()
    {
        var turn = new SingleWriterGate.TurnLock();
        await turn.WaitAsync(groupTurn: true);
        var queuedBefore = turn.WaitAsync(groupTurn: true);
        Assert.False(await Task.Run(() => turn.Wait(TimeSpan.FromMilliseconds(50))));
        var queuedAfter = turn.WaitAsync(groupTurn: true);
        Assert.Equal(2, turn.Waiting);
        turn.Release(inline: false);
        await queuedBefore.WaitAsync(TimeSpan.FromSeconds(10));
        turn.Release(inline: false);
        await queuedAfter.WaitAsync(TimeSpan.FromSeconds(10));
        turn.Release(inline: false);
        Assert.True(turn.WaitAsync(groupTurn: false).IsCompleted); // free: nobody left holding it
    }

    /// <summary>
    /// A command handed the turn through the thread pool still counts as waiting until it starts, as a semaphore's waiter
    /// does: the holder that committed then yields its thread to it instead of answering first (TransactionBehavior).
    /// </summary>
    [Fact]
    public async Task A_command_handed_the_turn_counts_as_waiting_until_it_starts()
    {
        var held = new List<Action>();
        var turn = new SingleWriterGate.TurnLock(held.Add);
        await turn.WaitAsync(groupTurn: true);
        var next = turn.WaitAsync(groupTurn: true);
        turn.Release(inline: false);
        Assert.Single(held);
        Assert.False(next.IsCompleted);
        Assert.Equal(1, turn.Waiting);
        held[0]();
        await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, turn.Waiting);
    }
}
