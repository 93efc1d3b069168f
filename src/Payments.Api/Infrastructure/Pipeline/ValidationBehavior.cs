using FluentValidation;
using Mediator;
using Payments.Domain.Common;

namespace Payments.Api.Infrastructure.Pipeline;

/// <summary>Runs the message's FluentValidation validators; a failure becomes a result, never an exception.</summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
    where TResponse : IFailable<TResponse>
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var v in validators)
            failures.AddRange((await v.ValidateAsync(message, ct)).Errors);
        if (failures.Count == 0) return await next(message, ct);

        var fields = failures
            .GroupBy(f => ToJsonPath(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
        // The first failure's code names the problem (e.g. invalid_id_number); generic rules say validation_failed.
        var code = failures.Select(f => f.ErrorCode).FirstOrDefault(c => c is not null && c.Contains('_') && c == c.ToLowerInvariant())
                   ?? "validation_failed";
        return TResponse.Failure(new Error(code, "The request is not valid.", ErrorKind.Validation, fields));
    }

    /// <summary>"Body.Payer.IdNumber" → "payer.idNumber": the path as the client wrote it in JSON.</summary>
    private static string ToJsonPath(string propertyName)
    {
        var parts = propertyName.Split('.').Where(p => p != "Body").Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]);
        return string.Join('.', parts);
    }
}
