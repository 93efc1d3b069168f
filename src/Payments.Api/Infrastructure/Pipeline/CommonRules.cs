using FluentValidation;
using Payments.Providers.Contract;

namespace Payments.Api.Infrastructure.Pipeline;

public static class CommonRules
{
    /// <summary>The Idempotency-Key header every write takes (ADR-0005): required, at most 255 characters.</summary>
    public static IRuleBuilderOptions<T, string> IsIdempotencyKey<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithErrorCode("idempotency_key_required").WithMessage("The Idempotency-Key header is required.")
            .MaximumLength(255).WithErrorCode("idempotency_key_too_long");
}

public static class ProviderFaults
{
    /// <summary>The provider could not be reached or answered nonsense (not our caller giving up).</summary>
    public static bool IsTransient(Exception ex, CancellationToken ct) =>
        ex is ProviderException or HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested);
}
