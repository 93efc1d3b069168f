using Payments.Api.Infrastructure;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Domain.Common;

namespace Payments.Api.Features.Reports;

/// <summary><c>GET /api/v1/reports/{journal|receipts|revenue|trial-balance}?from=&amp;to=&amp;format=csv|xlsx</c> for the finance system.</summary>
internal static class ReportEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGroup("/api/v1").RequireAuthorization(PaymentsApiSetup.FinancePolicy).WithTags("Finance API")
            .MapGet("/reports/{name}", async (string name, string? from, string? to, string? format, HttpContext http, LedgerReports reports, TimeProvider clock,
                CancellationToken ct) =>
            {
                var agency = CallingClient.From(http.User).AgencyCode;
                return await ExportAsync(http, reports, agency, name, from, to, format, clock, ct);
            }).WithName("ExportReport").ProducesProblem(400).ProducesProblem(404);

    /// <summary>Shared with the finance page: validates, then streams the file as the response.</summary>
    public static async Task<IResult> ExportAsync(HttpContext http, LedgerReports reports, string agency, string name, string? from, string? to, string? format,
        TimeProvider clock, CancellationToken ct)
    {
        var today = VietnamTime.DayOf(clock.GetUtcNow());
        if (!TryDay(from, today, out var fromDay) || !TryDay(to, fromDay, out var toDay))
            return Problems.Of(400, "invalid_date", "Dates are yyyy-MM-dd (Vietnam calendar days).");
        if (toDay < fromDay) return Problems.Of(400, "invalid_range", "'to' is before 'from'.");
        format = string.IsNullOrEmpty(format) ? "csv" : format.ToLowerInvariant();
        if (format is not ("csv" or "xlsx")) return Problems.Of(400, "invalid_format", "Format is csv or xlsx.");
        if (reports.Get(name, agency, fromDay, toDay) is not { } report)
            return Problems.Of(404, "unknown_report", $"Reports: {string.Join(", ", LedgerReports.Names)}.");
        var file = $"{name}_{(agency.Length == 0 ? "toan-tinh" : agency)}_{fromDay:yyyyMMdd}-{toDay:yyyyMMdd}.{format}";
        http.Response.ContentType = Exports.ContentType(format);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{file}\"";
        if (format == "csv") await Exports.WriteCsvAsync(report, http.Response.Body, ct);
        else await Exports.WriteXlsxAsync(report, http.Response.Body, ct);
        return Results.Empty;
    }

    private static bool TryDay(string? text, DateOnly fallback, out DateOnly day)
    {
        day = fallback;
        return string.IsNullOrEmpty(text) || DateOnly.TryParseExact(text, "yyyy-MM-dd", out day);
    }
}
