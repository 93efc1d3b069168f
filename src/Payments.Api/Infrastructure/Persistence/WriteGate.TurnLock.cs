namespace Payments.Api.Infrastructure.Persistence;

internal sealed partial class SingleWriterGate
{
    /// <summary>
    /// The writer's turn: held by one command at a time and handed on in arrival order. Unlike a semaphore, which always
    /// wakes the next waiter on the thread pool, the holder may hand the turn on <em>inline</em>: the next waiter's
    /// continuation runs on the holder's thread at once. Between two members of one commit group that removes a
    /// thread-pool hop (a queue, often a wake-up) from the single writer's path.
    /// </summary>
    /// <param name="schedule">Tests: where a hand-on through the thread pool goes instead (to hold it back).</param>
    internal sealed class TurnLock(Action<Action>? schedule = null)
    {
        private readonly Lock _sync = new();
        private readonly Queue<Waiter> _waiters = new();
        private bool _held;
        private int _waiting;

        /// <summary>
        /// Commands queued for the turn now, counting one handed the turn until it starts (as a semaphore's waiter counts
        /// until its wait returns): a command that has just committed then yields its thread to it (TransactionBehavior).
        /// </summary>
        public int Waiting => Volatile.Read(ref _waiting);

        /// <param name="groupTurn">A command's turn in a commit group (<see cref="TakeTurnAsync"/>), which may be handed the turn inline.</param>
        public Task WaitAsync(bool groupTurn) => Enqueue(groupTurn)?.Task ?? Task.CompletedTask;

        /// <summary>Takes the free turn (null) or queues a waiter for it.</summary>
        private Waiter? Enqueue(bool groupTurn)
        {
            lock (_sync)
            {
                if (!_held)
                {
                    _held = true;
                    return null;
                }
                // Continuations run where the turn is handed on: inline by Release(inline: true), else on the thread pool.
                var waiter = new Waiter(this, groupTurn);
                _waiters.Enqueue(waiter);
                Interlocked.Increment(ref _waiting);
                return waiter;
            }
        }

        /// <summary>
        /// Blocks for the turn (shutdown). On timeout the wait leaves the queue, so that the holder does not count it as a
        /// command to keep its group open for; a turn granted in the meantime is handed straight on.
        /// </summary>
        public bool Wait(TimeSpan timeout)
        {
            if (Enqueue(groupTurn: false) is not { } waiter || waiter.Task.Wait(timeout)) return true;
            lock (_sync)
            {
                if (_waiters.Contains(waiter))
                {
                    var others = _waiters.Where(w => w != waiter).ToList();
                    _waiters.Clear();
                    foreach (var other in others) _waiters.Enqueue(other);
                    Interlocked.Decrement(ref _waiting);
                    return false;
                }
            }
            waiter.Task.ContinueWith(static (_, state) => ((TurnLock)state!).Release(inline: false), this, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return false;
        }

        public void Release(bool inline)
        {
            Waiter? next;
            lock (_sync)
            {
                if (!_waiters.TryDequeue(out next))
                {
                    _held = false;
                    return;
                }
            }
            // Inline, the next command's continuation runs inside SetResult (the task runs continuations on the thread
            // pool instead when the stack runs short, so a chain, at most a group long, cannot overflow it). Otherwise, as
            // after a commit, through the thread pool: to this thread's local queue, so that it takes the next turn itself
            // unless it is busy.
            if (inline && next.GroupTurn) next.Start();
            else if (schedule is not null) schedule(next.Start);
            else ThreadPool.UnsafeQueueUserWorkItem(static waiter => waiter.Start(), next, preferLocal: true);
        }

        private sealed class Waiter(TurnLock owner, bool groupTurn) : TaskCompletionSource(TaskCreationOptions.None)
        {
            public bool GroupTurn { get; } = groupTurn;

            /// <summary>Gives this waiter the turn: it stops counting as waiting, and its continuation runs now, on this thread.</summary>
            public void Start()
            {
                Interlocked.Decrement(ref owner._waiting);
                SetResult();
            }
        }
    }
}
