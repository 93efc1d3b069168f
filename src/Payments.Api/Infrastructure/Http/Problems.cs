using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Payments.Domain.Common;

namespace Payments.Api.Infrastructure.Http;

/// <summary>The one place where failures become RFC 9457 problem details, each with a stable `code`.</summary>
public static class Problems
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ErrorKind.Unavailable => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult From(Error error) => Of(StatusOf(error.Kind), error.Code, error.Message, error.Fields);

    public static IResult Of(int status, string code, string detail, IReadOnlyDictionary<string, string[]>? fields = null)
    {
        var problem = Build(status, code, detail, fields);
        return Results.Problem(problem);
    }

    public static ProblemDetails Build(int status, string code, string detail, IReadOnlyDictionary<string, string[]>? fields = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = TitleOf(status),
            Detail = detail,
            Type = $"https://payments.invalid/problems/{code}",
        };
        problem.Extensions["code"] = code;
        if (fields is not null) problem.Extensions["errors"] = fields;
        return problem;
    }

    /// <summary>Maps a handler result: success → the given response, failure → its problem.</summary>
    public static IResult Map<T>(this Result<T> result, Func<T, IResult> onSuccess) =>
        result.IsSuccess ? onSuccess(result.Value) : From(result.Error!);

    private static string TitleOf(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        412 => "Precondition failed",
        502 => "Bad gateway",
        413 => "Payload too large",
        415 => "Unsupported media type",
        422 => "Unprocessable request",
        429 => "Too many requests",
        _ => "Server error",
    };
}

/// <summary>Unexpected exceptions: malformed requests are the client's (400), everything else is ours (500, no details).</summary>
internal sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            var status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400;
            var code = status switch { 413 => "payload_too_large", 415 => "unsupported_media_type", _ => "malformed_request" };
            problem = Problems.Build(status, code, "The request could not be read: " + bad.Message);
        }
        else if (exception is InvalidDataException { Source: "Microsoft.AspNetCore.WebUtilities" })
        {
            // A form body the framework cannot decode (a NUL, broken percent-encoding): the caller's fault, not ours.
            problem = Problems.Build(400, "malformed_request", "The request could not be read: the form body is not valid.");
        }
        else
        {
            log.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            problem = Problems.Build(500, "internal_error", "Something went wrong on our side; nothing was changed. Try again.");
        }
        http.Response.StatusCode = problem.Status!.Value;
        problem.Extensions["traceId"] = http.TraceIdentifier;
        await http.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", ct);
        return true;
    }
}
