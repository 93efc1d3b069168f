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
            await waits[i];
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

    /// <summary>Shutdown waits for the turn with a timeout; a turn granted after it gave up is handed straight on.</summary>
    [Fact]
    public async Task A_turn_granted_after_a_timed_out_wait_is_handed_on()
    {
        var turn = new SingleWriterGate.TurnLock();
        await turn.WaitAsync(groupTurn: true);
        Assert.False(await Task.Run(() => turn.Wait(TimeSpan.FromMilliseconds(50))));
        var after = turn.WaitAsync(groupTurn: true);
        turn.Release(inline: false);
        await after.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
