namespace Payments.Api.Infrastructure;

/// <summary>
/// Background work run every <c>{section}:Interval</c> while <c>{section}:Enabled</c>, each run in its own DI scope;
/// a failed run is logged and the next one comes at the next tick.
/// </summary>
public abstract class PeriodicWork(IServiceScopeFactory scopes, IConfiguration config, ILogger log, string section, TimeSpan defaultInterval)
    : BackgroundService
{
    /// <summary>This process among the nodes: who holds a lease.</summary>
    public static readonly string Node = $"{Environment.MachineName}:{Environment.ProcessId}";

    protected abstract Task RunAsync(IServiceProvider services, CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.GetValue($"{section}:Enabled", true)) return;
        // The host starts its services while the store is prepared (StorePreparation): no run before it is.
        using (var scope = scopes.CreateScope())
            await scope.ServiceProvider.GetRequiredService<StorePreparation>().Completion.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(config.GetValue($"{section}:Interval", defaultInterval));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await RunAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogError(ex, "{Work} failed; next run at the next interval", GetType().Name);
            }
        }
    }
}
