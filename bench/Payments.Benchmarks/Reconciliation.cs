using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.Reconciliation;
using Payments.Api.Infrastructure;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Orders;
using Payments.Domain.Reconciliation;

namespace Payments.Benchmarks;

/// <summary>A month of a busy collection account: the statement and the payments it settles, generated the same way each run.</summary>
public static class StatementScenario
{
    public const int Lines = 100_000, Paid = 95_000;
    public static readonly DateTimeOffset Start = new(2026, 10, 1, 1, 0, 0, TimeSpan.Zero);
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string Code(int i)
    {
        var chars = new char[8];
        var n = i;
        for (var k = 0; k < 8; k++) { chars[k] = Alphabet[n % Alphabet.Length]; n /= Alphabet.Length; }
        return "TT" + new string(chars);
    }

    public static DateTimeOffset PaidAt(int i) => Start.AddSeconds(i * 27L); // spread over about a month
    public static long Amount(int i) => 50_000 + i % 40 * 5_000;

    /// <summary>
    /// 95,000 payments: every other line carries the bank's transaction id, the rest only the hand-typed code (any case,
    /// split by spaces); 950 are 5.000 đ short, 950 have no line (missing); plus 1,000 second transfers (duplicates),
    /// 3,950 unknown credits and 1,000 debits — 100,000 lines.
    /// </summary>
    public static IEnumerable<string> Csv(string account)
    {
        yield return "bankTxnId,bookedAt,amount,content,account";
        var written = 0;
        for (var i = 0; i < Paid; i++)
        {
            if (i % 100 == 99) continue; // missing: paid in the system, nothing in the bank
            var at = PaidAt(i).AddHours(3).ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-ddTHH:mm:sszzz");
            var amount = i % 100 == 98 ? Amount(i) - 5_000 : Amount(i);
            var code = Code(i);
            yield return i % 2 == 0
                ? $"FT{i:D8},{at},{amount},CK {code},{account}"
                : $"BK{i:D8},{at},{amount},\"nop phi {code[..5].ToLowerInvariant()} {code[5..].ToLowerInvariant()} hs {i}\",{account}";
            written++;
        }
        for (var d = 0; d < 1_000; d++) { yield return $"DUP{d:D6},{PaidAt(d * 90).AddDays(1):yyyy-MM-ddTHH:mm:sszzz},{Amount(d * 90)},CK LAN 2 {Code(d * 90)},{account}"; written++; }
        for (var u = 0; written < Lines - 1_000; u++, written++) yield return $"UNK{u:D6},{PaidAt(u * 40):yyyy-MM-ddTHH:mm:sszzz},77000,UNG HO {u},{account}";
        for (var b = 0; b < 1_000; b++) yield return $"DEB{b:D6},{PaidAt(b * 90):yyyy-MM-ddTHH:mm:sszzz},-11000,PHI SMS,{account}";
    }

    public static IReadOnlyList<ExpectedCredit> Expected() =>
        Enumerable.Range(0, Paid).Select(i => new ExpectedCredit(Guid.NewGuid(), Guid.NewGuid(), Code(i), i % 2 == 0 ? $"FT{i:D8}" : $"WEBHOOK{i}", Amount(i), PaidAt(i))).ToList();
}

/// <summary>The matching step alone (Domain, in memory): 100,000 lines against 95,000 payments. Target ≤ 0.5 s.</summary>
[MemoryDiagnoser]
public class StatementMatching
{
    private List<StatementLine> _lines = null!;
    private IReadOnlyList<ExpectedCredit> _expected = null!;

    [GlobalSetup]
    public void Setup()
    {
        _expected = StatementScenario.Expected();
        var csv = string.Join('\n', StatementScenario.Csv("0011000123456"));
        _lines = Api.Features.Reconciliation.StatementReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), StatementFormat.Presets["generic"], "").ToList();
    }

    [Benchmark(Description = "match 100,000 statement lines against 95,000 payments")]
    public int Match() => StatementMatcher.Match(_lines, (IReadOnlyCollection<ExpectedCredit>)_expected, [], TimeSpan.FromDays(3),
        StatementScenario.Start, StatementScenario.Start.AddDays(40)).Count;
}

/// <summary>
/// End to end on the real service's store (SQLite file, migrations, the same reconciler the API and page use): the
/// file is hashed, stream-parsed, matched against 95,000 paid orders in the database, and the import, its 100,000
/// lines, the items and their postings are written in one transaction. Each run starts from a copy of the seeded
/// database. Target ≤ 5 s.
/// </summary>
public static class EndToEndReconciliation
{
    public static async Task RunAsync(int runs)
    {
        var dir = Directory.CreateTempSubdirectory("payments-bench-").FullName;
        try
        {
            var seeded = Path.Combine(dir, "seeded.db");
            var csvPath = Path.Combine(dir, "statement.csv");
            await File.WriteAllLinesAsync(csvPath, StatementScenario.Csv("0011000123456"));
            var seedWatch = Stopwatch.StartNew();
            await using (var app = await BuildAsync(dir, seeded)) await SeedAsync(app.Services);
            Console.WriteLine($"Seeded {StatementScenario.Paid:N0} paid orders in {seedWatch.Elapsed.TotalSeconds:F1} s; statement {new FileInfo(csvPath).Length / 1024:N0} KB");
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            for (var run = 1; run <= runs; run++)
            {
                var db = Path.Combine(dir, $"run{run}.db");
                File.Copy(seeded, db);
                await using var app = await BuildAsync(dir, db);
                await using var scope = app.Services.CreateAsyncScope();
                var reconciler = scope.ServiceProvider.GetRequiredService<StatementReconciler>();
                var caller = new CallingClient(Guid.NewGuid(), Api.Infrastructure.Demo.DemoSeeder.AgencyCode, "benchmark", IsStaff: true);
                var watch = Stopwatch.StartNew();
                var result = await reconciler.ReconcileAsync(csvPath, "statement.csv", "generic", null, caller, null, default);
                watch.Stop();
                if (!result.IsSuccess) throw new InvalidOperationException(result.Error!.Message);
                var c = result.Value.Counts;
                var t = reconciler.LastTimings;
                Console.WriteLine($"run {run}: {watch.Elapsed.TotalMilliseconds:N0} ms end to end (parse {t["parse"].TotalMilliseconds:N0}, load {t["load"].TotalMilliseconds:N0}, " +
                                  $"match {t["match"].TotalMilliseconds:N0}, items {t["items"].TotalMilliseconds:N0}, lines {t["lines"].TotalMilliseconds:N0}) — " +
                                  $"{result.Value.Lines:N0} lines: {c.Matched:N0} matched, {c.AmountMismatch:N0} mismatch, {c.UnknownCredit:N0} unknown, " +
                                  $"{c.MissingCredit:N0} missing, {c.Duplicate:N0} duplicate, {c.Ignored:N0} debits");
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static async Task<WebApplication> BuildAsync(string dir, string dbPath)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = dir });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Payments"] = $"Data Source={dbPath}",
            ["Payments:Receipts:Certificate:GenerateDevelopment"] = "true",
            ["Payments:Receipts:Certificate:Path"] = Path.Combine(dir, "signer.pfx"),
            ["Payments:Receipts:Certificate:Password"] = "bench-only",
            ["Payments:Providers:vietqr:Enabled"] = "true",
            ["Payments:Providers:vietqr:Simulator"] = "true",
            ["Payments:Providers:vietqr:Bin"] = "970436",
            ["Payments:Providers:vietqr:AccountNumber"] = "0011000123456",
            ["Payments:Providers:vietqr:AccountName"] = "BENCH",
            ["Payments:Providers:vietqr:NotifySecret"] = "bench-only-notify-secret-0123456789",
            ["Payments:Janitor:Enabled"] = "false",
            ["Demo:Seed"] = "true",
            ["Demo:ApiKey"] = "pk_bench_only_key_0000000000",
            ["Demo:StaffPassword"] = "Bench-only-2026!",
        });
        builder.Services.AddPaymentsApi(builder.Configuration);
        var app = builder.Build();
        await app.PreparePaymentsAsync();
        return app;
    }

    private static async Task SeedAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var fee = await db.Fees.AsNoTracking().FirstAsync(f => f.Code == "GPLX-CAP");
        for (var i = 0; i < StatementScenario.Paid; i++)
        {
            var at = StatementScenario.PaidAt(i);
            var line = new FeeItem("B" + i % 40, fee.Name, FeeKind.LePhi, Money.Vnd(StatementScenario.Amount(i)), fee.LegalBasis, fee.AgencyCode)
                .Quote(1, Channel.Online, DateOnly.FromDateTime(at.Date)).Value;
            var order = PaymentOrder.Create(Guid.NewGuid(), fee.AgencyCode, $"BENCH-{i:D6}", "1.000105", new Payer("Nguyễn Văn An", "001088012345", null, null, "Hà Nội"),
                Channel.Online, [line], "tok" + i, null, at.AddMinutes(-5), TimeSpan.FromDays(1)).Value;
            var attempt = order.StartAttempt("vietqr", StatementScenario.Code(i), at.AddMinutes(-4)).Value;
            order.RecordSuccess(attempt.Id, i % 2 == 0 ? $"FT{i:D8}" : $"WEBHOOK{i}", at);
            db.Orders.Add(order);
            if (i % 5_000 == 4_999)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }
        await db.SaveChangesAsync();
    }
}
