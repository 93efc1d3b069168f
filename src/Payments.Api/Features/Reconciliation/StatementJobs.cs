using System.Collections.Concurrent;
using Payments.Api.Infrastructure.Auth;
using Payments.Domain.Common;

namespace Payments.Api.Features.Reconciliation;

/// <summary>
/// Statement imports started from the staff page run here, off the request, so the page can show a progress bar and
/// poll for the outcome. One process keeps its jobs for an hour; a job belongs to the member of staff who started it.
/// </summary>
public sealed class StatementJobs(IServiceScopeFactory scopes, TimeProvider clock, ILogger<StatementJobs> log)
{
    public sealed class Job
    {
        public Guid Id { get; } = Guid.NewGuid();
        public required Guid OwnerId { get; init; }
        public DateTimeOffset StartedAt { get; init; }
        public double Progress { get; set; }
        public string State { get; set; } = "running";
        public ReconcileResult? Result { get; set; }
        public Error? Error { get; set; }
    }

    private readonly ConcurrentDictionary<Guid, Job> _jobs = new();

    /// <summary>Takes ownership of <paramref name="path"/> (deleted when the job ends).</summary>
    public Job Start(string path, string fileName, string? format, string? account, CallingClient caller)
    {
        foreach (var old in _jobs.Values.Where(j => j.StartedAt < clock.GetUtcNow().AddHours(-1))) _jobs.TryRemove(old.Id, out _);
        var job = new Job { OwnerId = caller.Id, StartedAt = clock.GetUtcNow() };
        _jobs[job.Id] = job;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var reconciler = scope.ServiceProvider.GetRequiredService<StatementReconciler>();
                var result = await reconciler.ReconcileAsync(path, fileName, format, account, caller, p => job.Progress = p, CancellationToken.None);
                if (result.IsSuccess) job.Result = result.Value;
                else job.Error = result.Error;
                job.Progress = 1;
                job.State = result.IsSuccess ? "done" : "failed";
            }
            catch (Exception ex)
            {
                log.LogError(ex, "Statement import {Job} failed", job.Id);
                job.Error = Error.Unavailable("import_failed", "The import failed; nothing was written. Try again or ask an administrator.");
                job.State = "failed";
            }
            finally { File.Delete(path); }
        });
        return job;
    }

    public Job? Find(Guid id, Guid ownerId) => _jobs.TryGetValue(id, out var job) && job.OwnerId == ownerId ? job : null;
}
