using System.Globalization;
using System.Text;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.Receipts;

public sealed record SeriesView(int Id, string AgencyCode, string TemplateSymbol, string SeriesLetters, string CurrentSymbol, int NumberWidth,
    bool Active, int LastNumberThisYear);

public sealed record SeriesBody(string? TemplateSymbol, string? SeriesLetters, int? NumberWidth);

/// <summary>Registers a new receipt series for the caller's agency; it takes over from the active one (audited).</summary>
public sealed record RegisterSeries(CallingClient Client, SeriesBody Body) : ICommand<Result<SeriesView>>;

public sealed class RegisterSeriesHandler(PaymentsDbContext db, TimeProvider clock) : ICommandHandler<RegisterSeries, Result<SeriesView>>
{
    public async ValueTask<Result<SeriesView>> Handle(RegisterSeries cmd, CancellationToken ct)
    {
        var b = cmd.Body;
        if (await db.ReceiptSeries.AnyAsync(s => s.TemplateSymbol == b.TemplateSymbol && s.SeriesLetters == b.SeriesLetters, ct))
            return Error.Conflict("series_exists", "That template symbol and series are already registered.");
        foreach (var active in await db.ReceiptSeries.Where(s => s.AgencyCode == cmd.Client.AgencyCode && s.Active).ToListAsync(ct)) active.Retire();
        var series = new ReceiptSeries(cmd.Client.AgencyCode, b.TemplateSymbol!, b.SeriesLetters!, b.NumberWidth == 8 ? 99_999_999 : 9_999_999);
        db.ReceiptSeries.Add(series);
        var now = clock.GetUtcNow();
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = cmd.Client.Actor, Action = "receipt-series.register", EntityType = "receipt-series",
            EntityId = $"{b.TemplateSymbol}/{b.SeriesLetters}", AgencyCode = cmd.Client.AgencyCode, AfterJson = System.Text.Json.JsonSerializer.Serialize(b, Json.Web),
        });
        return new SeriesView(0, series.AgencyCode, series.TemplateSymbol, series.SeriesLetters, series.SeriesSymbolFor(VietnamTime.YearOf(now)),
            series.NumberWidth, true, 0);
    }
}

public sealed class RegisterSeriesValidator : AbstractValidator<RegisterSeries>
{
    public RegisterSeriesValidator()
    {
        RuleFor(c => c.Body.TemplateSymbol).NotEmpty().MaximumLength(20).WithErrorCode("invalid_template_symbol");
        RuleFor(c => c.Body.SeriesLetters).NotEmpty().Matches("^[A-Z]{1,6}$").WithErrorCode("invalid_series_letters")
            .WithMessage("Series letters: 1–6 upper-case letters (the year's two digits are added).");
        RuleFor(c => c.Body.NumberWidth).Must(w => w is null or 7 or 8).WithErrorCode("invalid_number_width")
            .WithMessage("Numbers have 7 digits (Decree 123) or 8 (Decree 254).");
    }
}

/// <summary>Per series and day (Vietnam time): count, first and last number, cancelled and replaced, total of valid receipts.</summary>
public sealed record DailySummaryRow(string Date, string TemplateSymbol, string Series, int Issued, int FirstNumber, int LastNumber,
    int Cancelled, int Replaced, long ValidTotal);

internal static class ReceiptSeriesEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var finance = app.MapGroup("/api/v1").RequireAuthorization(PaymentsApiSetup.FinancePolicy).WithTags("Finance API");
        finance.MapGet("/receipt-series", async (HttpContext http, PaymentsDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var agency = CallingClient.From(http.User).AgencyCode;
            var year = VietnamTime.YearOf(clock.GetUtcNow());
            var series = await db.ReceiptSeries.AsNoTracking().Where(s => s.AgencyCode == agency).OrderBy(s => s.Id).ToListAsync(ct);
            var counters = await db.ReceiptCounters.AsNoTracking().Where(c => c.Year == year).ToDictionaryAsync(c => c.SeriesId, c => c.LastNumber, ct);
            return Results.Ok(new
            {
                items = series.Select(s => new SeriesView(s.Id, s.AgencyCode, s.TemplateSymbol, s.SeriesLetters, s.SeriesSymbolFor(year), s.NumberWidth,
                    s.Active, counters.GetValueOrDefault(s.Id))),
            });
        }).WithName("ListReceiptSeries");
        finance.MapPost("/receipt-series", async (SeriesBody body, HttpContext http, ISender sender, CancellationToken ct) =>
                (await sender.Send(new RegisterSeries(CallingClient.From(http.User), body), ct)).Map(s => Results.Created("/api/v1/receipt-series", s)))
            .WithName("RegisterReceiptSeries").ProducesProblem(400).ProducesProblem(409);
        finance.MapGet("/receipts/daily-summary", DailySummaryAsync).WithName("ReceiptDailySummary")
            .WithSummary("Receipts of one day per series, for the tax report (format=json|csv)");
    }

    private static async Task<IResult> DailySummaryAsync(string? date, string? format, HttpContext http, PaymentsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var day = date is null ? DateOnly.FromDateTime(clock.GetUtcNow().ToVietnam().DateTime)
            : DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
            : (DateOnly?)null;
        if (day is null) return Problems.Of(400, "invalid_date", "date must be yyyy-MM-dd.");
        var from = new DateTimeOffset(day.Value.ToDateTime(TimeOnly.MinValue), VietnamTime.Offset);
        var to = from.AddDays(1);
        var agency = CallingClient.From(http.User).AgencyCode;
        var receipts = await db.Receipts.AsNoTracking()
            .Where(r => r.AgencyCode == agency && r.IssuedAt >= from && r.IssuedAt < to)
            .Select(r => new { r.TemplateSymbol, r.Series, r.Number, r.Status, Amount = r.Amount.Minor }).ToListAsync(ct);
        var rows = receipts.GroupBy(r => (r.TemplateSymbol, r.Series)).OrderBy(g => g.Key.TemplateSymbol).ThenBy(g => g.Key.Series)
            .Select(g => new DailySummaryRow(day.Value.ToString("yyyy-MM-dd"), g.Key.TemplateSymbol, g.Key.Series, g.Count(), g.Min(r => r.Number),
                g.Max(r => r.Number), g.Count(r => r.Status == ReceiptStatus.Cancelled), g.Count(r => r.Status == ReceiptStatus.Replaced),
                g.Where(r => r.Status == ReceiptStatus.Valid).Sum(r => r.Amount))).ToList();
        if (format != "csv") return Results.Ok(new { date = day.Value.ToString("yyyy-MM-dd"), items = rows });
        var csv = new StringBuilder("Ngày,Mẫu số,Ký hiệu,Số lượng,Từ số,Đến số,Đã hủy,Bị thay thế,Tổng tiền hợp lệ (đồng)\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Date},{r.TemplateSymbol},{r.Series},{r.Issued},{r.FirstNumber},{r.LastNumber},{r.Cancelled},{r.Replaced},{r.ValidTotal}\n");
        return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8",
            $"bien-lai-{day.Value:yyyyMMdd}.csv");
    }
}
