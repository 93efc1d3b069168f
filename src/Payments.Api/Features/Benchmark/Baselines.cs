using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Features.Benchmark;

/// <summary>
/// Same-run baselines for bench/run.sh, mapped only with <c>Payments:Benchmark:Baselines=true</c> (never in
/// production): B0 answers fixed JSON; B1 makes one EF Core insert per request with writes serialised through the
/// same write gate and store settings (WAL, synchronous=FULL) as the real endpoints.
/// </summary>
internal static class Baselines
{
    public static void Map(WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Payments:Benchmark:Baselines")) return;
        var bench = app.MapGroup("/bench").ExcludeFromDescription();
        bench.MapGet("/b0", () => Results.Json(new { ok = true, service = "payments" }));
        bench.MapPost("/b1", async (PaymentsDbContext db, IWriteGate gate, TimeProvider clock, CancellationToken ct) =>
        {
            using var _ = await gate.EnterAsync(ct);
            db.Audit.Add(new AuditEntry { At = clock.GetUtcNow(), Actor = "bench", Action = "bench.b1", EntityType = "bench", EntityId = Guid.NewGuid().ToString() });
            await db.SaveChangesAsync(ct);
            return Results.Json(new { ok = true });
        });
    }
}
