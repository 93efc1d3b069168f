namespace Payments.Domain.Common;

/// <summary>What kind of expected failure this is; the API maps each kind to one HTTP status in one place.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Forbidden,
    Unprocessable,
    /// <summary>The client's precondition (e.g. expectedRefundable) no longer holds.</summary>
    PreconditionFailed,
    /// <summary>An outside system (a provider) could not be reached or answered nonsense; nothing was changed.</summary>
    Unavailable,
}

/// <summary>An expected failure with a stable machine-readable code.</summary>
/// <param name="Fields">Per-field messages for validation failures (JSON path → messages).</param>
public sealed record Error(string Code, string Message, ErrorKind Kind, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static Error NotFound(string code, string message) => new(code, message, ErrorKind.NotFound);
    public static Error Conflict(string code, string message) => new(code, message, ErrorKind.Conflict);
    public static Error Unprocessable(string code, string message) => new(code, message, ErrorKind.Unprocessable);
    public static Error Validation(string code, string message) => new(code, message, ErrorKind.Validation);
    public static Error Forbidden(string code, string message) => new(code, message, ErrorKind.Forbidden);
    public static Error PreconditionFailed(string code, string message) => new(code, message, ErrorKind.PreconditionFailed);
    public static Error Unavailable(string code, string message) => new(code, message, ErrorKind.Unavailable);
}

/// <summary>Marker so infrastructure (the transaction pipeline) can see a failure without knowing T.</summary>
public interface IOutcome
{
    bool IsSuccess { get; }
    Error? Error { get; }
}

/// <summary>Lets generic infrastructure (the validation pipeline) build a failed response of any result type.</summary>
public interface IFailable<out TSelf>
{
    static abstract TSelf Failure(Error error);
}

public readonly record struct Result : IOutcome, IFailable<Result>
{
    private Result(Error? error) => Error = error;
    public Error? Error { get; }
    public bool IsSuccess => Error is null;
    public static Result Ok() => new(null);
    public static Result Fail(Error error) => new(error);
    public static Result Failure(Error error) => Fail(error);
    public static implicit operator Result(Error error) => Fail(error);
}

public readonly record struct Result<T> : IOutcome, IFailable<Result<T>>
{
    private readonly T? _value;

    private Result(T? value, Error? error) { _value = value; Error = error; }

    public Error? Error { get; }
    public bool IsSuccess => Error is null;
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"Result failed: {Error!.Code}");

    public static Result<T> Ok(T value) => new(value, null);
    public static Result<T> Fail(Error error) => new(default, error);
    public static Result<T> Failure(Error error) => Fail(error);
    public static implicit operator Result<T>(T value) => Ok(value);
    public static implicit operator Result<T>(Error error) => Fail(error);
}
