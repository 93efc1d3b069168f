using System.Runtime.CompilerServices;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit.Abstractions;

namespace Payments.Api.Tests;

/// <summary>
/// Issue #9: random sequences of portal, wallet, janitor, desk and finance operations (FsCheck, fixed seed) against
/// the real HTTP API, each step compared with an in-memory model (<see cref="PaymentsModel"/>) and followed by the
/// invariants: order states as modelled, one valid receipt per paid order, gapless numbers per series, balanced
/// books, refunds never beyond the payment, no 5xx and every 4xx a ProblemDetails with a code.
/// A failure names the seed, the failing step and what every step before it did; FsCheck then shrinks the sequence.
/// PAYMENTS_MODEL_SEED=&lt;number&gt; explores another seed.
/// </summary>
public class ModelBasedTests(ApiFactory api, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private const ulong DefaultSeed = 20_261_124;
    private const int Sequences = 20;
    /// <summary>Sequences FsCheck may replay while shrinking a failure (each is a full run against the service).</summary>
    private const int ShrinkBudget = 120;

    private static readonly Gen<Step> Steps =
        from op in Gen.Frequency(
            (16, Gen.Constant(Op.Create)), (16, Gen.Constant(Op.StartAttempt)), (9, Gen.Constant(Op.PayAtWallet)),
            (3, Gen.Constant(Op.DeclineAtWallet)), (4, Gen.Constant(Op.SignedIpn)), (4, Gen.Constant(Op.RepeatedIpn)),
            (2, Gen.Constant(Op.ForgedIpn)), (2, Gen.Constant(Op.WrongAmountIpn)), (4, Gen.Constant(Op.Cancel)),
            (2, Gen.Constant(Op.Expire)), (3, Gen.Constant(Op.TimePasses)), (10, Gen.Constant(Op.Refund)),
            (5, Gen.Constant(Op.CounterPayment)), (3, Gen.Constant(Op.CancelReceipt)), (3, Gen.Constant(Op.ReplaceReceipt)))
        from pick in Gen.Choose(0, 9_999)
        from variant in Gen.Choose(0, 9_999)
        select new Step(op, pick, variant);

    private static readonly Gen<Step[]> Sequence = from length in Gen.Choose(100, 150) from steps in Steps.ArrayOf(length) select steps;

    private readonly ConditionalWeakTable<Step[], StrongBox<int>> _failedAt = new();
    private int _runs, _steps, _skipped;

    [Fact]
    public void Random_operation_sequences_keep_the_service_and_its_model_equal()
    {
        var seed = Environment.GetEnvironmentVariable("PAYMENTS_MODEL_SEED") is { Length: > 0 } s ? ulong.Parse(s) : DefaultSeed;
        output.WriteLine($"seed {seed}, {Sequences} sequences, store {(ApiFactory.OnPostgres ? "postgres" : "sqlite")}");
        var config = Config.QuickThrowOnFailure.WithMaxTest(Sequences).WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));
        _ = api.Services; // the host starts here, so a store that cannot be reached is not mistaken for a failing sequence
        // Whole seconds on the clock: PostgreSQL keeps microseconds, so no expiry compares differently once stored.
        api.Clock.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerSecond - api.Clock.GetUtcNow().UtcTicks % TimeSpan.TicksPerSecond));

        Check.One(config, Prop.ForAll(Arb.From(Sequence, Shrink), (Step[] steps) => Run(steps, seed)));
        output.WriteLine($"{_runs} sequences, {_steps} steps ({_skipped} found nothing to act on)");
    }

    private void Run(Step[] steps, ulong seed) => Task.Run(() => RunAsync(steps, seed)).GetAwaiter().GetResult();

    private async Task RunAsync(Step[] steps, ulong seed)
    {
        var number = Interlocked.Increment(ref _runs);
        var run = ModelRun.Start(api, number);
        for (var i = 0; i <= steps.Length; i++)
        {
            try
            {
                if (i == steps.Length) { await run.CheckEverythingAsync(); break; }
                var (did, touched) = await run.ApplyAsync(steps[i]);
                run.Trace.Add($"  #{i} {steps[i]}: {did}");
                _steps++;
                if (did.StartsWith(ModelRun.Skipped)) _skipped++; // nothing was sent: nothing to check
                else await run.CheckAsync(touched);
            }
            catch (Exception ex)
            {
                _failedAt.AddOrUpdate(steps, new StrongBox<int>(i));
                var where = i == steps.Length ? "the final full check" : $"step #{i} {steps[i]}";
                throw new ModelMismatchException(
                    $"Sequence {number} (seed {seed}, agency {run.Agency}) failed at {where}: {ex.Message}\nSteps:\n{string.Join("\n", run.Trace)}", ex);
            }
        }
    }

    /// <summary>
    /// First everything after the failing step goes, then ever smaller chunks; within a budget, since every candidate
    /// is a full run against the service.
    /// </summary>
    private IEnumerable<Step[]> Shrink(Step[] steps)
    {
        if (_failedAt.TryGetValue(steps, out var at) && at.Value + 1 < steps.Length && Budget()) yield return steps[..(at.Value + 1)];
        for (var chunk = steps.Length / 2; chunk >= 1; chunk /= 2)
        for (var start = 0; start + chunk <= steps.Length; start += chunk)
        {
            if (!Budget()) yield break;
            yield return [.. steps[..start], .. steps[(start + chunk)..]];
        }
    }

    private bool Budget() => _runs < Sequences + ShrinkBudget;
}
