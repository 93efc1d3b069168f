namespace Payments.Providers.Contract;

/// <summary>The explicit map of enabled providers by code, built once from configuration.</summary>
public sealed class ProviderRegistry
{
    private readonly Dictionary<string, IPaymentProvider> _enabled;
    private readonly HashSet<string> _known;

    public ProviderRegistry(IEnumerable<IPaymentProvider> enabled, IEnumerable<string> knownCodes)
    {
        _enabled = enabled.ToDictionary(p => p.Code, StringComparer.Ordinal);
        _known = new HashSet<string>(knownCodes, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> EnabledCodes => _enabled.Keys;

    public ProviderLookup Find(string? code) =>
        code is not null && _enabled.TryGetValue(code, out var p) ? new ProviderLookup(p, ProviderLookupFailure.None)
        : code is not null && _known.Contains(code) ? new ProviderLookup(null, ProviderLookupFailure.Disabled)
        : new ProviderLookup(null, ProviderLookupFailure.Unknown);
}

public enum ProviderLookupFailure { None, Unknown, Disabled }

public sealed record ProviderLookup(IPaymentProvider? Provider, ProviderLookupFailure Failure);
