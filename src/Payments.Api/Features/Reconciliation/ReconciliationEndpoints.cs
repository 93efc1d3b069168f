using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Reconciliation;

namespace Payments.Api.Features.Reconciliation;

/// <summary>The province finance system's reconciliation API (API clients with the <c>finance</c> scope).</summary>
internal static class ReconciliationEndpoints
{
    /// <summary>Uploads above this are refused before reading (a year of a busy account's lines is far below it).</summary>
    public const long MaxStatementBytes = 200L * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        var finance = app.MapGroup("/api/v1/reconciliation").RequireAuthorization(PaymentsApiSetup.FinancePolicy).WithTags("Finance API");

        finance.MapPost("/statements", async (HttpContext http, StatementReconciler reconciler, CancellationToken ct) =>
        {
            if (!http.Request.HasFormContentType) return Problems.Of(415, "multipart_required", "Send the file as multipart/form-data in the field 'file'.");
            var form = await http.Request.ReadFormAsync(ct);
            if (form.Files.GetFile("file") is not { Length: > 0 } file)
                return Problems.Of(400, "file_required", "Send the statement in the multipart field 'file'.");
            if (file.Length > MaxStatementBytes) return Problems.Of(413, "file_too_large", $"Statements are limited to {MaxStatementBytes / 1024 / 1024} MB.");
            var result = await WithTempFileAsync(file, path => reconciler.ReconcileAsync(path, file.FileName, form["format"], form["account"],
                CallingClient.From(http.User), null, ct));
            return result.Map(r => r.DuplicateFile ? Results.Ok(r) : Results.Created($"/api/v1/reconciliation/statements/{r.ImportId}", r));
        }).DisableAntiforgery().WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxStatementBytes)).WithName("ImportStatement").ProducesProblem(400).ProducesProblem(413).ProducesProblem(415);

        finance.MapGet("/items", async (HttpContext http, PaymentsDbContext db, string? status, CancellationToken ct) =>
        {
            var agency = CallingClient.From(http.User).AgencyCode;
            var open = status is null or "open";
            var items = await db.ItemsOf(agency).AsNoTracking()
                .Where(i => open ? i.Status != ReconciliationStatus.Resolved : i.Status == ReconciliationStatus.Resolved)
                .OrderBy(i => i.CreatedAt).Take(1000).ToListAsync(ct);
            return Results.Ok(new { items = items.Select(ReconciliationItemView.From) });
        }).WithName("ListReconciliationItems");

        finance.MapPost("/items/{id:guid}/resolve", async (Guid id, ResolveBody body, HttpContext http, ISender sender, CancellationToken ct) =>
                (await sender.Send(new ResolveItem(CallingClient.From(http.User), id, body, MayApprove: true), ct)).Map(Results.Ok))
            .WithName("ResolveReconciliationItem").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
    }

    /// <summary>The upload is copied to a private temp file (streamed), processed, and deleted whatever happens.</summary>
    public static async Task<T> WithTempFileAsync<T>(IFormFile file, Func<string, Task<T>> work)
    {
        var path = Path.Combine(Path.GetTempPath(), "payments-statement-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                await file.CopyToAsync(target);
            return await work(path);
        }
        finally { File.Delete(path); }
    }
}
