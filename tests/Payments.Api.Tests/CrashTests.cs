using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Persistence;
using Xunit.Abstractions;

namespace Payments.Api.Tests;

/// <summary>
/// Issue #9, part 2: the API runs as a process of its own on a SQLite file (WAL, synchronous=FULL, group commit) under
/// load from several portals and a wallet, is killed with SIGKILL at random moments (seeded: 3–5 kills, each after
/// 0.3–1.5 s of load) and restarted on the same file. What it answered must have survived (<see cref="CrashChecks"/>);
/// what got no answer may or may not have happened. PAYMENTS_CRASH_SEED=&lt;number&gt; explores another seed.
/// </summary>
[Trait("Category", "Crash")]
[Collection(nameof(RunsAlone))]
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int DefaultSeed = 20_261_125;
    /// <summary>Concurrent portal-and-wallet loops: enough that commands queue for the writer and commit in groups.</summary>
    private const int Workers = 16;

    private readonly string _dir = Directory.CreateTempSubdirectory("payments-crash-").FullName;
    private readonly List<ApiProcess> _nodes = [];
    private readonly CancellationTokenSource _stop = new();
    /// <summary>The node the load goes to; a pending task while the API is down (the load waits for the restart).</summary>
    private volatile TaskCompletionSource<HttpClient> _live = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string DatabasePath => Path.Combine(_dir, "payments.db");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync(); // load left running by a failure stops, and stops waiting for a node
        _live.TrySetCanceled();
        foreach (var node in _nodes) await node.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Killed_under_load_and_restarted_it_keeps_everything_it_acknowledged()
    {
        var watch = Stopwatch.StartNew();
        var seed = Environment.GetEnvironmentVariable("PAYMENTS_CRASH_SEED") is { Length: > 0 } s ? int.Parse(s) : DefaultSeed;
        var random = new Random(seed);
        var kills = random.Next(3, 6);
        output.WriteLine($"seed {seed}: {kills} kills, {Workers} workers");

        await using var receiver = await WebhookReceiver.StartAsync();
        var node = await StartAsync();
        var hook = await node.Portal.PutAsJsonAsync("/api/v1/webhook", new { url = receiver.Url });
        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        var secret = (await hook.Json()).GetProperty("secret").GetString()!;

        var acks = new Acknowledged();
        _live.SetResult(node.Portal);
        var load = Enumerable.Range(0, Workers)
            .Select(w => Task.Run(() => new CrashLoad(() => _live.Task, acks, w, seed).RunAsync(_stop.Token))).ToList();
        for (var k = 1; k <= kills; k++)
        {
            var answers = await UnderLoadAsync(acks, load, random.Next(300, 1500));
            _live = new(TaskCreationOptions.RunContinuationsAsynchronously);
            await node.KillAsync();
            output.WriteLine($"{watch.Elapsed.TotalSeconds,5:F1}s kill {k}: process {node.Id} after {answers} answers");
            node = await StartAsync();
            _live.SetResult(node.Portal);
        }
        await UnderLoadAsync(acks, load, random.Next(300, 1500)); // the last node takes load too
        await _stop.CancelAsync();
        await Task.WhenAll(load);
        output.WriteLine($"{watch.Elapsed.TotalSeconds,5:F1}s load done: {acks.Sent} requests sent, {acks.Answered} answered, "
                         + $"{acks.Unanswered} cut by a kill; {acks.Orders.Count} orders and {acks.Paid.Count} payments acknowledged");

        var checks = new CrashChecks(DatabasePath, acks, secret);
        // The last node delivers every committed event, those a killed process had leased too: on SQLite start-up releases
        // the leases of the process that is gone (OutboxDispatcher.ReleaseLeasesOfAGoneProcessAsync).
        await checks.SettleAsync(TimeSpan.FromSeconds(30));
        var balance = await (await node.Portal.GetAsync("/api/v1/ledger/trial-balance")).Json();
        Assert.True(balance.GetProperty("balanced").GetBoolean(), $"the trial balance is not balanced: {balance}");
        await node.KillAsync(); // the last stop is a crash too
        var servers = _nodes.Select(n => n.Node).ToList();

        checks.Verify(receiver, servers);
        output.WriteLine($"{watch.Elapsed.TotalSeconds,5:F1}s checked: {checks.Summary}");
        Assert.True(acks.Unanswered > 0, "no request was cut by a kill: the kills did not land under load");
    }

    /// <summary>
    /// Lets the node that just started take load for <paramref name="ms"/> milliseconds, counted from its first answer (a
    /// process starting cold answers nothing for a while). Returns how many answers it gave.
    /// </summary>
    private static async Task<int> UnderLoadAsync(Acknowledged acks, List<Task> load, int ms)
    {
        var before = acks.Answered;
        for (var waited = 0; acks.Answered == before && waited < 30_000; waited += 20) await Task.Delay(20);
        await Task.Delay(ms);
        if (load.FirstOrDefault(t => t.IsFaulted) is { } failed) await failed;
        return acks.Answered - before;
    }

    /// <summary>The API on this test's SQLite file (group commit on, its default), outbox on, rate limits out of the way.</summary>
    private async Task<ApiProcess> StartAsync()
    {
        var settings = ApiProcess.Settings(_dir);
        settings["ConnectionStrings:Payments"] = $"Data Source={DatabasePath}";
        foreach (var section in new[] { "Public", "Callbacks" }) settings[$"Payments:RateLimits:{section}:PermitLimit"] = "1000000";
        var node = await ApiProcess.StartAsync($"#{_nodes.Count + 1}", _dir, settings);
        _nodes.Add(node);
        return node;
    }
}

/// <summary>
/// Tests whose subject is timing run with nothing else beside them: the crash test (its load and kill moments are its
/// own, and it does not slow the rest of the suite) and group commit (commands must arrive together to share a commit).
/// </summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
