using Npgsql;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// How the nodes sharing a PostgreSQL store keep each other's read caches exact (ADR-0036). Every transaction that makes
/// a cached read stale announces it with <c>pg_notify</c> inside the transaction (<see cref="ReadCacheInvalidator"/>),
/// so PostgreSQL delivers it to every listening node when it commits, in commit order, and never for a rollback. This
/// service listens on a connection of its own and invalidates what it hears. The cache serves only while it listens:
/// until the first LISTEN, and from the moment the connection fails until it is back, every read goes to the store,
/// and everything kept is dropped both when the channel is lost and when it is heard again (writes made meanwhile were
/// never heard). A connection that is closed or reset fails the wait at once; one that goes silent (a network cut) is
/// probed by TCP keepalive after <see cref="QuietCheck"/> and every second after that, and found dead by the system's
/// probe count (nine on Linux: about 11 s).
/// </summary>
public sealed class CacheChannel(ReadCache cache, IConfiguration config, IServiceScopeFactory scopes, ILogger<CacheChannel> log)
    : BackgroundService
{
    public const string Name = "payments_cache";
    internal const string NotifySql = "SELECT pg_notify('" + Name + "', @payload)";

    /// <summary>PostgreSQL refuses a payload of 8000 bytes or more: a longer announcement says "everything".</summary>
    private const int MaxPayload = 7_000;

    /// <summary>How long the listening connection may be quiet before TCP keepalive probes it (then every second).</summary>
    internal static readonly TimeSpan QuietCheck = TimeSpan.FromSeconds(2);

    /// <summary>The listening connection's server process (tests end it to see the cache stop serving), 0 while not listening.</summary>
    public int ListenerProcessId { get; private set; }

    /// <summary>How many announcements from other nodes were heard (operations and tests); its own are applied, not counted.</summary>
    public long Heard => Interlocked.Read(ref _heard);

    private long _heard;

    /// <summary>An announcement: the node's mark (<see cref="ReadCache.Node"/>), then the keys, or "*" for everything.</summary>
    internal static string Payload(string node, IReadOnlyCollection<string> keys)
    {
        var payload = node + " " + string.Join(' ', keys);
        return System.Text.Encoding.UTF8.GetByteCount(payload) < MaxPayload ? payload : node + " *";
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!cache.Enabled || !cache.Shared) return;
        try
        {
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<StorePreparation>().Completion.WaitAsync(stop);
        }
        catch (Exception) { return; } // stopped, or not prepared: the start fails with the preparation's own error
        var connectionString = new NpgsqlConnectionStringBuilder(config.GetConnectionString("Payments"))
        {
            Pooling = false, // a broken listener is thrown away, never handed back
            Timeout = 5,
            CommandTimeout = 2,
            // A closed or reset connection ends the wait at once; one that went silent is found by TCP keepalive probes
            // (Npgsql's own keepalive query would throw and catch exceptions inside every quiet wait).
            TcpKeepAlive = true,
            TcpKeepAliveTime = (int)QuietCheck.TotalSeconds,
            TcpKeepAliveInterval = 1,
            ApplicationName = "payments-cache-channel",
        }.ConnectionString;
        var lost = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stop);
                connection.Notification += (_, e) => Hear(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Name}", connection)) await listen.ExecuteNonQueryAsync(stop);
                ListenerProcessId = connection.ProcessID;
                cache.Listening(true);
                if (lost) log.LogInformation("The cache channel is heard again; the read cache serves again, emptied");
                lost = false;
                while (true) await connection.WaitAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                ListenerProcessId = 0;
                cache.Listening(false);
                if (!lost) log.LogWarning(ex, "The cache channel was lost: reads go to the store until it is heard again");
                lost = true;
                try { await Task.Delay(TimeSpan.FromMilliseconds(500), stop); }
                catch (OperationCanceledException) { break; }
            }
        }
        ListenerProcessId = 0;
        cache.Listening(false);
    }

    private void Hear(string payload)
    {
        var keys = payload.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (keys.Length == 0) return;
        // Its own announcements are applied too: the node invalidated those keys at its commit, unless the commit's answer
        // was lost (the COMMIT failed on the wire after the server had committed).
        if (keys[0] != cache.Node) Interlocked.Increment(ref _heard);
        for (var i = 1; i < keys.Length; i++)
        {
            if (keys[i] == "*") cache.Clear();
            else cache.Invalidate(keys[i]);
        }
    }
}
