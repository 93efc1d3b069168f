using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Caching.Memory;
using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// A process-local cache of the hottest reads — API clients by key hash, an agency's fee catalogue, a portal's order
/// view — kept exact by the writes themselves (ADR-0022). Every save that touches a cached thing invalidates it twice:
/// before the write reaches the store and again once the transaction has ended; a reader may only fill an entry if no
/// invalidation happened since it started reading. On by default for SQLite (one process owns the file) and for
/// PostgreSQL, where every node hears the others' writes on a channel (<see cref="CacheChannel"/>, ADR-0036) and the
/// cache serves only while it listens; off on SQL Server (Payments:ReadCache:Enabled turns it on or off).
/// </summary>
public sealed class ReadCache : IDisposable
{
    public const string Clients = "clients";
    public const string Fees = "fees";
    public const string Agencies = "agencies";
    public const string Series = "series";
    private const int Slots = 4096;

    private readonly MemoryCache _entries;
    private readonly long[] _generations = new long[Slots];

    /// <param name="shared">Other nodes write to the store: this node announces its writes to them whether or not its own
    /// cache is on, and its cache serves nothing until <see cref="Listening"/> says their writes are heard (<see cref="CacheChannel"/>).</param>
    public ReadCache(bool enabled, int capacity = 20_000, bool shared = false)
    {
        Enabled = enabled;
        Shared = shared;
        _serving = enabled && !shared;
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity, CompactionPercentage = 0.25 });
    }

    public bool Enabled { get; }

    /// <summary>
    /// Other nodes share the store (ADR-0036): this node's writes are announced to them even when its own cache is off
    /// (theirs may be on), and an enabled cache hears theirs.
    /// </summary>
    public bool Shared { get; }

    /// <summary>On a shared store an entry lives at most this long: a bound should a write ever go unannounced (a node of
    /// an earlier release during a rolling upgrade).</summary>
    internal static readonly TimeSpan SharedLifetime = TimeSpan.FromMinutes(1);

    /// <summary>This node's mark on its announcements: it invalidated those keys itself, before and after its commit.</summary>
    public string Node { get; } = Guid.NewGuid().ToString("N")[..12];

    private volatile bool _serving;

    /// <summary>Whether entries are served and kept: always when enabled alone, only while listening when shared.</summary>
    public bool Serving => _serving;

    /// <summary>
    /// The channel is heard from (true: every write committed from now on will be heard) or lost (false). Either way
    /// everything kept so far is dropped, and readers that started before cannot keep what they read: writes made while
    /// nobody listened were never heard.
    /// </summary>
    public void Listening(bool heard)
    {
        if (!Enabled || !Shared) return;
        if (!heard) _serving = false;
        Clear();
        if (heard) _serving = true;
    }

    /// <summary>Drops every entry, and every reader's right to keep what it is reading.</summary>
    public void Clear()
    {
        for (var i = 0; i < Slots; i++) Interlocked.Increment(ref _generations[i]);
        _entries.Clear();
    }

    public static string Order(PaymentOrderId id) => $"order:{id.Value:N}";

    /// <summary>Take this before reading the store; pass it to <see cref="Put{T}"/>.</summary>
    public long Generation(string key) => Volatile.Read(ref _generations[Slot(key)]);

    public bool TryGet<T>(string key, out T value) where T : class
    {
        if (_serving && _entries.TryGetValue(key, out var found) && found is T typed)
        {
            value = typed;
            return true;
        }
        value = null!;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> unless <paramref name="key"/> changed since <paramref name="generation"/> was taken.</summary>
    public void Put<T>(string key, long generation, T value, string? group = null) where T : class
    {
        if (!_serving) return;
        var slotKey = group ?? key;
        if (Generation(slotKey) != generation) return;
        _entries.Set(key, value, Shared
            ? new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10), AbsoluteExpirationRelativeToNow = SharedLifetime }
            : new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        // An invalidation may have slipped in between the check and the set: then it must not survive.
        if (Generation(slotKey) != generation) _entries.Remove(key);
    }

    /// <summary>For keys that belong to a group (all clients, all fees): the group's generation is part of the key.</summary>
    public string Grouped(string group, string key) => $"{group}:{Generation(group)}:{key}";

    public void Invalidate(string key)
    {
        Interlocked.Increment(ref _generations[Slot(key)]);
        _entries.Remove(key);
    }

    private static int Slot(string key) => (int)((uint)StringComparer.Ordinal.GetHashCode(key) % Slots);

    public void Dispose() => _entries.Dispose();

    /// <summary>
    /// What a tracked change makes stale: the order it belongs to, all clients, or all fees. New orders' keys are also
    /// noted in <paramref name="created"/> when given (in the same pass over the tracked entries).
    /// </summary>
    internal static IEnumerable<string> StaleKeys(DbContext db, HashSet<string>? created = null)
    {
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            if (created is not null && entry is { State: EntityState.Added, Entity: PaymentOrder order }) created.Add(Order(order.Id));
            if (KeyOf(entry.Entity, () => entry.Metadata.FindProperty("OrderId") is { } p ? entry.Property(p.Name).CurrentValue : null) is { } key)
                yield return key;
        }
    }

    /// <summary>What a new aggregate written without the change tracker makes stale (<see cref="RowInserter"/>).</summary>
    internal static string? KeyOfNew(IModel model, object entity) =>
        KeyOf(entity, () => model.FindEntityType(entity.GetType())?.FindProperty("OrderId") is { } p && !p.IsShadowProperty()
            ? p.GetGetter().GetClrValue(entity) : null);

    private static string? KeyOf(object entity, Func<object?> orderId) => entity switch
    {
        PaymentOrder order => Order(order.Id),
        ApiClient => Clients,
        FeeItem => Fees,
        Agency => Agencies,
        ReceiptSeries => Series,
        _ => orderId() is PaymentOrderId id ? Order(id) : null,
    };
}
