namespace Payments.Api.Infrastructure;

/// <summary>
/// The store's preparation at start-up (migrations, seeding, the key ring: <see cref="PaymentsApiSetup.PreparePaymentsAsync"/>),
/// which runs while the pipeline is built and the server starts (ADR-0035). Until it ends, <c>/health/live</c> answers,
/// <c>/health/ready</c> answers 503 and every other request waits for it; the host's start ends only with it, and a
/// failed preparation fails the start (the process stops, as before).
/// </summary>
public sealed class StorePreparation : IHostedLifecycleService
{
    private Task? _preparation;

    /// <summary>Program.cs begins it once the host is built.</summary>
    public void Begin(Task preparation) =>
        _preparation = Interlocked.CompareExchange(ref _preparation, preparation, null) is null ? preparation
            : throw new InvalidOperationException("The store's preparation was already begun.");

    /// <summary>Whether the store is ready: prepared without error.</summary>
    public bool Done => _preparation is { IsCompletedSuccessfully: true };

    public Task Completion => _preparation ?? throw new InvalidOperationException("The store's preparation was not begun (Program.cs begins it).");

    /// <summary>The host has started everything, the server included: its start now waits for the store.</summary>
    Task IHostedLifecycleService.StartedAsync(CancellationToken ct) => Completion.WaitAsync(ct);

    Task IHostedLifecycleService.StartingAsync(CancellationToken ct) => Task.CompletedTask;
    Task IHostedService.StartAsync(CancellationToken ct) => Task.CompletedTask;
    Task IHostedService.StopAsync(CancellationToken ct) => Task.CompletedTask;
    Task IHostedLifecycleService.StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    Task IHostedLifecycleService.StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}
