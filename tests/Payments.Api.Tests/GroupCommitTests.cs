using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Payments.Api.Infrastructure.Persistence;
using Payments.Api.Infrastructure.Pipeline;
using Payments.Domain.Common;

namespace Payments.Api.Tests;

/// <summary>
/// Group commit on SQLite (ADR-0021): commands share the writer's transaction behind savepoints and are answered after
/// the commit that holds them. On PostgreSQL there is no gate; these tests then check only that every write landed.
/// </summary>
[Collection(nameof(RunsAlone))]
public class GroupCommitTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;

    public GroupCommitTests(ApiFactory api) => _api = api;

    private SingleWriterGate? Gate => _api.Services.GetRequiredService<IWriteGate>() as SingleWriterGate;

    /// <summary>The probes below hold a turn for as long as they like: groups must not close on age meanwhile.</summary>
    public static ApiFactory PatientGroups() => new ApiFactory().With("Payments:Sqlite:MaxGroupAgeMs", "600000");

    [Fact]
    public async Task Concurrent_creates_are_all_stored_and_share_fewer_commits()
    {
        var portal = _api.Portal();
        if (Gate is not { } gate)
        {
            // PostgreSQL: row locks, no gate; the creates are all stored all the same.
            var created = await Task.WhenAll(Enumerable.Range(0, 48).Select(i =>
                portal.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: $"000.00.12.H29-GC-{i:D4}"), $"group-commit-{i}"))));
            Assert.All(created, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
            return;
        }
        // Creates are fast enough now that, in-process, they rarely find each other queued: a probe holds the writer's
        // turn until all 48 are waiting behind it, so they are certain to meet (the probe's group stays open meanwhile).
        using var api = PatientGroups();
        var patient = (SingleWriterGate)api.Services.GetRequiredService<IWriteGate>();
        var before = (Groups: patient.CommittedGroups, Turns: patient.CommittedTurns);
        var entered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var holder = Probe(api, "gc-holder", Result<int>.Ok(0), entered, release.Task);
        await entered.Task;
        var client = api.Portal();
        var responses = Task.WhenAll(Enumerable.Range(0, 48).Select(i =>
            client.SendAsync(Wire.CreateOrder(Wire.OrderBody(dossier: $"000.00.12.H29-GC-{i:D4}"), $"group-commit-{i}"))));
        await QueuedAsync(patient, 48);
        release.SetResult();
        Assert.True((await holder).IsSuccess);
        Assert.All(await responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(48, api.Db(db => db.Orders.Count(o => o.DossierCode.StartsWith("000.00.12.H29-GC-"))));
        Assert.Equal(48, api.Db(db => db.IdempotencyRecords.Count(r => r.Key.StartsWith("group-commit-"))));
        Assert.Equal(49, patient.CommittedTurns - before.Turns);
        Assert.True(patient.CommittedGroups - before.Groups <= 2, $"49 commands took {patient.CommittedGroups - before.Groups} commits");
    }

    [Fact]
    public async Task Without_group_commit_every_command_commits_alone_on_the_writer_connection()
    {
        using var api = new ApiFactory().With("Payments:Sqlite:GroupCommit", "false").With("Payments:Sqlite:MaxGroupAgeMs", "600000");
        if (api.Services.GetRequiredService<IWriteGate>() is not SingleWriterGate { Enabled: true } gate) return; // SQLite's writer
        var (groups, turns) = (gate.CommittedGroups, gate.CommittedTurns);
        // With group commit these three would share one commit. Alone, the failed one is rolled back whole, not committed.
        await HeldThenTwoQueuedAsync(api, gate, "one");
        Assert.Equal(2, gate.CommittedTurns - turns);
        Assert.Equal(2, gate.CommittedGroups - groups); // a commit each for the two written
    }

    /// <summary>
    /// A command later in a group reads — and caches — what an earlier one wrote but had not committed; if the group then
    /// fails to commit, the cache must not keep it (found in review: a receipt series that never existed stayed cached).
    /// </summary>
    [Fact]
    public async Task A_group_that_fails_to_commit_leaves_none_of_its_writes_in_the_read_cache()
    {
        using var api = PatientGroups();
        if (api.Services.GetRequiredService<IWriteGate>() is not SingleWriterGate { Enabled: true } gate) return;
        const string agency = "000.00.12.H29";
        async Task<Domain.Receipts.ReceiptSeries?> ActiveSeries(IServiceScope scope) =>
            await scope.ServiceProvider.GetRequiredService<Features.Receipts.ReceiptIssuer>().ActiveSeriesAsync(agency, default);
        using (var first = api.Services.CreateScope()) Assert.Equal("BL", (await ActiveSeries(first))!.SeriesLetters);

        var entered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        // The first command replaces the agency's series and leaves a foreign-key violation SQLite checks only at COMMIT.
        var broken = Probe(api, "gc-series-broken", Result<int>.Ok(1), entered, release.Task, db =>
        {
            foreach (var s in db.ReceiptSeries.Where(s => s.AgencyCode == agency && s.Active).ToList()) s.Retire();
            db.ReceiptSeries.Add(new Domain.Receipts.ReceiptSeries(agency, "01BLP0-999", "ZZ"));
            db.SaveChanges();
            db.Database.ExecuteSqlRaw("PRAGMA defer_foreign_keys = ON;");
            db.Database.ExecuteSqlRaw("INSERT INTO \"ReceiptCounters\" (\"SeriesId\", \"Year\", \"LastNumber\", \"Version\") VALUES (987655, 2026, 1, 0);");
        });
        await entered.Task;
        var (behavior, db, scope) = Build(api);
        string? seenInGroup = null;
        var reader = Task.Run(async () =>
        {
            using var _ = scope;
            return await behavior.Handle(new ProbeCommand("gc-series-reader"), async (cmd, ct) =>
            {
                seenInGroup = (await ActiveSeries(scope))?.SeriesLetters; // in the turn: the group's uncommitted state
                return Result<int>.Ok(2);
            }, default);
        });
        await QueuedAsync(gate, 1);
        release.SetResult();
        await Assert.ThrowsAnyAsync<Exception>(() => broken);
        await Assert.ThrowsAnyAsync<Exception>(() => reader);

        Assert.Equal("ZZ", seenInGroup);
        Assert.Equal("BL", api.Db(d => d.ReceiptSeries.Single(s => s.AgencyCode == agency && s.Active).SeriesLetters));
        using (var after = api.Services.CreateScope()) Assert.Equal("BL", (await ActiveSeries(after))!.SeriesLetters);
    }

    private static (TransactionBehavior<ProbeCommand, Result<int>> Behavior, PaymentsDbContext Db, IServiceScope Scope) Build(ApiFactory api) =>
        Build<ProbeCommand>(api);

    internal static (TransactionBehavior<T, Result<int>> Behavior, PaymentsDbContext Db, IServiceScope Scope) Build<T>(ApiFactory api)
        where T : Mediator.ICommand<Result<int>>
    {
        var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        return (new TransactionBehavior<T, Result<int>>(db, scope.ServiceProvider.GetRequiredService<IWriteGate>(),
            scope.ServiceProvider.GetRequiredService<IGroupCommit>(), NullLogger<TransactionBehavior<T, Result<int>>>.Instance), db, scope);
    }

    internal static IdempotencyRecord Record(ApiFactory api, string key) =>
        new() { ClientId = api.Db(db => db.ApiClients.First().Id), Key = key, RequestHash = "h", StatusCode = 201, ResponseJson = "{}" };

    internal static int Stored(ApiFactory api, string key) => api.Db(d => d.IdempotencyRecords.Count(r => r.Key == key));

    /// <summary>Runs a probe command whose handler adds <paramref name="key"/>, then waits for <paramref name="hold"/> inside its turn.</summary>
    private static Task<Result<int>> Probe(ApiFactory api, string key, Result<int> answer, TaskCompletionSource? entered = null, Task? hold = null, Action<PaymentsDbContext>? also = null)
    {
        var (behavior, db, scope) = Build(api);
        return Task.Run(async () =>
        {
            using var _ = scope;
            return await behavior.Handle(new ProbeCommand(key), async (cmd, ct) =>
            {
                db.IdempotencyRecords.Add(Record(api, cmd.Key));
                also?.Invoke(db);
                entered?.SetResult();
                if (hold is not null) await hold;
                return answer;
            }, default);
        });
    }

    /// <summary>
    /// A first command holds its turn (its group open) while a failing one and a third queue behind it; then all three
    /// are answered: the first and third stored, the failing one not.
    /// </summary>
    private static async Task HeldThenTwoQueuedAsync(ApiFactory api, SingleWriterGate gate, string prefix)
    {
        var entered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var first = Probe(api, $"{prefix}-first", Result<int>.Ok(1), entered, release.Task);
        await entered.Task;
        // The failing command has already written its row in the transaction when it decides to fail: that must be undone.
        var failing = Probe(api, $"{prefix}-failing", Result<int>.Fail(Error.Conflict("nope", "no")), also: db => db.SaveChanges());
        var last = Probe(api, $"{prefix}-last", Result<int>.Ok(3));
        await QueuedAsync(gate, 2);
        release.SetResult();

        Assert.True((await first).IsSuccess);
        Assert.False((await failing).IsSuccess);
        Assert.True((await last).IsSuccess);
        Assert.Equal(1, Stored(api, $"{prefix}-first"));
        Assert.Equal(0, Stored(api, $"{prefix}-failing"));
        Assert.Equal(1, Stored(api, $"{prefix}-last"));
    }

    internal static async Task QueuedAsync(SingleWriterGate gate, int count)
    {
        for (var i = 0; i < 500 && gate.Queued < count; i++) await Task.Delay(10);
        Assert.Equal(count, gate.Queued);
    }

    [Fact]
    public async Task A_failed_command_in_a_group_is_undone_alone_and_the_group_commits_once()
    {
        using var api = PatientGroups();
        if (api.Services.GetRequiredService<IWriteGate>() is not SingleWriterGate { Enabled: true } gate) return; // group commit is SQLite's
        var groups = gate.CommittedGroups;
        await HeldThenTwoQueuedAsync(api, gate, "gc");
        Assert.True(groups + 1 == gate.CommittedGroups, $"groups {groups} -> {gate.CommittedGroups}, turns {gate.CommittedTurns}");
    }

    /// <summary>
    /// If a failed command's savepoint cannot be rolled back, its writes are still in the group's transaction: the group
    /// must then be rolled back whole, not committed with them (found in review). The probe releases its own savepoint
    /// to make the rollback fail.
    /// </summary>
    [Fact]
    public async Task A_command_whose_writes_cannot_be_undone_is_not_committed_with_its_group()
    {
        using var api = PatientGroups();
        if (api.Services.GetRequiredService<IWriteGate>() is not SingleWriterGate { Enabled: true }) return;
        var failing = Probe(api, "gc-undo-fails", Result<int>.Fail(Error.Conflict("nope", "no")), also: db =>
        {
            db.SaveChanges();
            db.Database.ExecuteSqlRaw("RELEASE \"command\";");
        });
        await Assert.ThrowsAnyAsync<Exception>(() => failing);
        Assert.Equal(0, Stored(api, "gc-undo-fails"));
        Assert.True((await Probe(api, "gc-undo-after", Result<int>.Ok(1))).IsSuccess); // the writer works again
        Assert.Equal(1, Stored(api, "gc-undo-after"));
    }

    /// <summary>
    /// The turn passes from one command of a group to the next on the same thread, inside the first one's hand-on (no
    /// thread-pool hop); after a commit it goes through the thread pool, so the next group does not run nested inside the
    /// last one (ADR-0031). Groups of two here: the holder's, then three more.
    /// </summary>
    [Fact]
    public async Task The_turn_is_handed_on_inline_within_a_group_and_through_the_pool_after_a_commit()
    {
        using var api = PatientGroups().With("Payments:Sqlite:MaxGroup", "2");
        if (api.Services.GetRequiredService<IWriteGate>() is not SingleWriterGate { Enabled: true } gate) return;
        var turns = new List<(int Thread, int Depth)>();
        void Note(PaymentsDbContext _) => turns.Add((Environment.CurrentManagedThreadId, new System.Diagnostics.StackTrace().FrameCount));
        var entered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var holder = Probe(api, "gc-inline-holder", Result<int>.Ok(0), entered, release.Task, Note);
        await entered.Task;
        var probes = Enumerable.Range(0, 5).Select(i => Probe(api, $"gc-inline-{i}", Result<int>.Ok(i), also: Note)).ToList();
        await QueuedAsync(gate, 5);
        release.SetResult();
        Assert.True((await holder).IsSuccess);
        Assert.All(await Task.WhenAll(probes), r => Assert.True(r.IsSuccess));

        // Turns in order: holder and 0 | 1 and 2 | 3 and 4. Groups (1, 2) and (3, 4) both start on the thread pool.
        Assert.Equal(6, turns.Count);
        foreach (var (first, second) in new[] { (2, 3), (4, 5) })
        {
            Assert.Equal(turns[first].Thread, turns[second].Thread);
            Assert.True(turns[second].Depth > turns[first].Depth, $"turn {second} ran at depth {turns[second].Depth}, not inside turn {first} ({turns[first].Depth})");
        }
        Assert.True(turns[4].Depth < turns[3].Depth, $"the group after a commit ran nested: depth {turns[4].Depth} after {turns[3].Depth}");
    }

    /// <summary>
    /// A command's savepoint journals the pages it changes; past 64 KiB SQLite spills that journal to a temporary file,
    /// which a group of a few creates reached (files created and deleted in /var/tmp under load). The writer keeps it in memory.
    /// </summary>
    [Fact]
    public async Task The_writers_savepoint_journals_stay_in_memory()
    {
        using var api = PatientGroups();
        if (api.Services.GetRequiredService<IWriteGate>() is not SingleWriterGate { Enabled: true }) return;
        long? tempStore = null;
        Assert.True((await Probe(api, "gc-temp-store", Result<int>.Ok(1), also: db =>
            tempStore = db.Database.SqlQueryRaw<long>("SELECT temp_store AS \"Value\" FROM pragma_temp_store").AsEnumerable().Single())).IsSuccess);
        Assert.Equal(2, tempStore); // MEMORY
    }

    [Fact]
    public async Task When_a_group_fails_to_commit_every_command_in_it_fails_and_nothing_is_written()
    {
        using var api = PatientGroups();
        if (api.Services.GetRequiredService<IWriteGate>() is not SingleWriterGate { Enabled: true } gate) return;
        var entered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        // The first command leaves a foreign-key violation that SQLite checks only at COMMIT (deferred for this transaction).
        var broken = Probe(api, "gc-broken", Result<int>.Ok(1), entered, release.Task, db =>
        {
            db.Database.ExecuteSqlRaw("PRAGMA defer_foreign_keys = ON;");
            db.Database.ExecuteSqlRaw("INSERT INTO \"ReceiptCounters\" (\"SeriesId\", \"Year\", \"LastNumber\", \"Version\") VALUES (987654, 2026, 1, 0);");
        });
        await entered.Task;
        var innocent = Probe(api, "gc-innocent", Result<int>.Ok(2));
        await QueuedAsync(gate, 1);
        release.SetResult();

        await Assert.ThrowsAnyAsync<Exception>(() => broken);
        await Assert.ThrowsAnyAsync<Exception>(() => innocent); // answered only once its commit held: it did not
        Assert.Equal(0, Stored(api, "gc-broken"));
        Assert.Equal(0, Stored(api, "gc-innocent"));
        Assert.Equal(0, api.Db(d => d.ReceiptCounters.Count(c => c.SeriesId == 987654)));

        // The writer recovers: the next command commits.
        Assert.True((await Probe(api, "gc-after", Result<int>.Ok(4))).IsSuccess);
        Assert.Equal(1, Stored(api, "gc-after"));
    }
}
