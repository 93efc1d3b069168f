using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Payments.Api.Infrastructure.Persistence;
using Payments.Api.Infrastructure.Pipeline;
using Payments.Domain.Common;

namespace Payments.Api.Tests;

public sealed record ProbeCommand(string Key) : ICommand<Result<int>>;

/// <summary>The pipeline's promise: all or nothing, and a write refused by a unique index re-runs the command.</summary>
public class TransactionBehaviorTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;

    public TransactionBehaviorTests(ApiFactory api) => _api = api;

    private (TransactionBehavior<ProbeCommand, Result<int>> Behavior, PaymentsDbContext Db, IServiceScope Scope) Build()
    {
        var scope = _api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        return (new TransactionBehavior<ProbeCommand, Result<int>>(db, scope.ServiceProvider.GetRequiredService<IWriteGate>(),
            scope.ServiceProvider.GetRequiredService<IGroupCommit>(), NullLogger<TransactionBehavior<ProbeCommand, Result<int>>>.Instance), db, scope);
    }

    private IdempotencyRecord Record(string key) =>
        new() { ClientId = _api.Db(db => db.ApiClients.First().Id), Key = key, RequestHash = "h", StatusCode = 201, ResponseJson = "{}" };

    [Fact]
    public async Task A_write_refused_by_a_unique_index_runs_the_command_again_on_fresh_state()
    {
        _api.Db(db => { db.IdempotencyRecords.Add(Record("probe-race")); return db.SaveChanges(); });
        var (behavior, db, scope) = Build();
        using var _ = scope;
        var runs = 0;
        var result = await behavior.Handle(new ProbeCommand("probe-race"), (cmd, ct) =>
        {
            runs++;
            // First run: behave like the loser of a race, inserting what the winner already committed.
            if (runs == 1) db.IdempotencyRecords.Add(Record(cmd.Key));
            return ValueTask.FromResult(Result<int>.Ok(runs));
        }, default);
        Assert.Equal(2, runs);
        Assert.Equal(2, result.Value);
    }

    [Fact]
    public async Task A_failed_result_rolls_everything_back()
    {
        var (behavior, db, scope) = Build();
        using var _ = scope;
        var result = await behavior.Handle(new ProbeCommand("probe-fail"), (cmd, ct) =>
        {
            db.IdempotencyRecords.Add(Record(cmd.Key));
            return ValueTask.FromResult(Result<int>.Fail(Error.Conflict("nope", "no")));
        }, default);
        Assert.False(result.IsSuccess);
        Assert.Equal(0, _api.Db(d => d.IdempotencyRecords.Count(r => r.Key == "probe-fail")));
    }

    [Fact]
    public async Task A_success_commits()
    {
        var (behavior, db, scope) = Build();
        using var _ = scope;
        await behavior.Handle(new ProbeCommand("probe-ok"), (cmd, ct) =>
        {
            db.IdempotencyRecords.Add(Record(cmd.Key));
            return ValueTask.FromResult(Result<int>.Ok(1));
        }, default);
        Assert.Equal(1, _api.Db(d => d.IdempotencyRecords.Count(r => r.Key == "probe-ok")));
    }

    [Fact]
    public async Task A_bug_that_keeps_violating_a_constraint_surfaces_after_a_few_runs()
    {
        _api.Db(db => { db.IdempotencyRecords.Add(Record("probe-bug")); return db.SaveChanges(); });
        var (behavior, db, scope) = Build();
        using var _ = scope;
        var runs = 0;
        await Assert.ThrowsAsync<DbUpdateException>(async () => await behavior.Handle(new ProbeCommand("probe-bug"), (cmd, ct) =>
        {
            runs++;
            db.IdempotencyRecords.Add(Record(cmd.Key));
            return ValueTask.FromResult(Result<int>.Ok(runs));
        }, default));
        Assert.Equal(4, runs);
    }
}
