using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Orders;
using Payments.Api.Infrastructure.Auth;
using Xunit.Abstractions;

using static Payments.Api.Tests.GroupCommitTests; // Build, Record, Stored, QueuedAsync

namespace Payments.Api.Tests;

/// <summary>
/// A save of plain inserts only runs without a savepoint in its commit group (ADR-0032): its neighbours in the group
/// commit when it is undone, and SQLite's own rollback of the group fails everyone in it. RowInserterTests has the undo
/// itself, with group commit on and off.
/// </summary>
[Collection(nameof(RunsAlone))]
public class InsertOnlySaveTests(ITestOutputHelper output)
{
    private static readonly AsyncLocal<bool> Armed = new();
    private static volatile bool _interrupted;

    /// <summary>An insert-only command: its handler inserts the record <paramref name="key"/>; <paramref name="arm"/> arms the interrupt below.</summary>
    private static Task<Result<int>> InsertRecord(ApiFactory api, string key, int answer, bool arm = false)
    {
        var record = Record(api, key);
        var (behavior, db, scope) = Build<OptimisticProbe>(api);
        return Task.Run(async () =>
        {
            using var _ = scope;
            return await behavior.Handle(new OptimisticProbe(key), (cmd, ct) =>
            {
                db.Insert(record);
                if (arm) Armed.Value = true;
                return ValueTask.FromResult(Result<int>.Ok(answer));
            }, default);
        });
    }

    private static PaymentOrder NewOrder(ApiFactory api, string dossier)
    {
        var fees = api.Db(db => db.Fees.AsNoTracking().Where(f => f.AgencyCode == "000.00.12.H29").OrderBy(f => f.Code).Take(2).ToList());
        var now = DateTimeOffset.UtcNow;
        return PaymentOrder.Create(api.Db(db => db.ApiClients.First().Id), "000.00.12.H29", dossier, "1.000105",
            new Payer("Nguyễn Thị Ánh", "001088012345", "+84912345678", "anh@example.vn", "x"), Channel.Online,
            fees.Select((f, i) => f.Quote(i + 2, Channel.Online, DateOnly.FromDateTime(now.ToVietnam().DateTime)).Value).ToList(),
            Tokens.NewSortableToken(now), null, now, TimeSpan.FromMinutes(90)).Value;
    }

    /// <summary>
    /// SQLite rolls the whole transaction back by itself on an interrupted INSERT. When that is the insert-only command's
    /// first insert, it has no rows to delete, but the earlier member's write is gone too: the group fails, and neither is
    /// answered as a success (found in review).
    /// </summary>
    [Fact]
    public async Task An_auto_rollback_on_the_first_insert_of_an_insert_only_save_does_not_answer_earlier_members_success()
    {
        if (ApiFactory.OnPostgres) return;
        using var api = GroupCommitTests.PatientGroups();
        var gate = (SingleWriterGate)api.Services.GetRequiredService<IWriteGate>();
        var entered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var recA = Record(api, "ios-auto-A");
        var (aB, aDb, aScope) = Build<ProbeCommand>(api);
        var first = Task.Run(async () =>
        {
            using var _ = aScope;
            return await aB.Handle(new ProbeCommand("ios-auto-A"), async (cmd, ct) =>
            {
                aDb.IdempotencyRecords.Add(recA);
                var conn = (SqliteConnection)aDb.Database.GetDbConnection();
                SQLitePCL.raw.sqlite3_progress_handler(conn.Handle, 1, _ =>
                {
                    if (!Armed.Value) return 0;
                    _interrupted = true;
                    return 1;
                }, null);
                entered.SetResult();
                await release.Task;
                return Result<int>.Ok(1);
            }, default);
        });
        await entered.Task;

        var second = InsertRecord(api, "ios-auto-B", 2, arm: true);
        await QueuedAsync(gate, 1);
        release.SetResult();

        Exception? aFail = null, bFail = null;
        Result<int>? aRes = null;
        try { aRes = await first; } catch (Exception ex) { aFail = ex; }
        try { await second; } catch (Exception ex) { bFail = ex; }
        output.WriteLine($"interrupted={_interrupted}");
        output.WriteLine($"A: {(aFail is null ? "answered " + aRes!.Value.IsSuccess : "threw " + aFail.GetType().Name + ": " + aFail.Message)}");
        output.WriteLine($"B: {(bFail is null ? "answered" : "threw " + bFail.GetType().Name + ": " + bFail.Message)}");
        var storedA = Stored(api, "ios-auto-A");
        output.WriteLine($"A stored: {storedA}, B stored: {Stored(api, "ios-auto-B")}");
        Assert.True(_interrupted);
        Assert.Equal(0, storedA);
        Assert.NotNull(aFail);
        Assert.NotNull(bFail);
    }

    /// <summary>
    /// An insert-only member that keeps losing its race inside a held group: its first run's order is deleted again, and
    /// the members before and after it commit.
    /// </summary>
    [Fact]
    public async Task An_insert_only_member_that_fails_is_undone_alone_and_its_neighbours_commit()
    {
        if (ApiFactory.OnPostgres) return;
        using var api = GroupCommitTests.PatientGroups();
        var gate = (SingleWriterGate)api.Services.GetRequiredService<IWriteGate>();
        api.Db(db => { db.IdempotencyRecords.Add(Record(api, "ios-nb-taken")); return db.SaveChanges(); });
        var entered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var (aB, aDb, aScope) = Build<ProbeCommand>(api);
        var recA = Record(api, "ios-nb-A");
        var first = Task.Run(async () =>
        {
            using var _ = aScope;
            return await aB.Handle(new ProbeCommand("ios-nb-A"), async (cmd, ct) =>
            {
                aDb.IdempotencyRecords.Add(recA);
                entered.SetResult();
                await release.Task;
                return Result<int>.Ok(1);
            }, default);
        });
        await entered.Task;
        var orders = new List<PaymentOrder>();
        var taken = Record(api, "ios-nb-taken");
        var (bB, bDb, bScope) = Build<OptimisticProbe>(api);
        var second = Task.Run(async () =>
        {
            using var _ = bScope;
            return await bB.Handle(new OptimisticProbe("ios-nb-B"), (cmd, ct) =>
            {
                var o = NewOrder(api, $"IOS-NB-{orders.Count}");
                orders.Add(o);
                bDb.Insert(o);
                bDb.Insert(new IdempotencyRecord { ClientId = taken.ClientId, Key = taken.Key, RequestHash = "h", StatusCode = 201, ResponseJson = "{}" });
                return ValueTask.FromResult(Result<int>.Ok(2));
            }, default);
        });
        await QueuedAsync(gate, 1);
        var third = InsertRecord(api, "ios-nb-C", 3);
        await QueuedAsync(gate, 2);
        release.SetResult();
        Assert.True((await first).IsSuccess);
        var bFail = await Xunit.Record.ExceptionAsync(() => second);
        output.WriteLine($"B: {bFail?.GetType().Name}: {bFail?.Message}");
        Assert.True((await third).IsSuccess);
        Assert.NotNull(bFail);
        Assert.Equal(4, orders.Count);
        Assert.Equal(1, Stored(api, "ios-nb-A"));
        Assert.Equal(1, Stored(api, "ios-nb-C"));
        var ids = orders.Select(o => o.Id).ToList();
        Assert.Equal(0, api.Db(d => d.Orders.Count(o => ids.Contains(o.Id))));
    }
}
