using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Ledger;
using Payments.Domain.Orders;
using Payments.Domain.Reconciliation;

namespace Payments.Api.Features.Reconciliation;

public sealed record OutcomeCounts(int Matched, int AmountMismatch, int UnknownCredit, int MissingCredit, int Duplicate, int AlreadyImported, int Ignored);

public sealed record ReconciliationItemView(Guid Id, string Kind, string Status, string Source, string BankTxnId, long Amount, long Held, long Shortfall,
    Guid? OrderId, long? ExpectedAmount, string Content, DateTimeOffset BookedAt, string? Resolution, string? Reason, string? WriteOffRequestedBy)
{
    public static ReconciliationItemView From(ReconciliationItem i) => new(i.Id, Snake(i.Kind.ToString()), Snake(i.Status.ToString()), i.Source, i.BankTxnId,
        i.Amount.Minor, i.Held.Minor, i.Shortfall.Minor, i.OrderId?.Value, i.ExpectedAmount?.Minor, i.Content, i.BookedAt,
        i.Resolution is { } r ? Snake(r.ToString()) : null, i.ResolutionReason, i.WriteOffRequestedBy);

    public static string Snake(string pascal) => JsonNamingPolicy.SnakeCaseLower.ConvertName(pascal);
}

public sealed record ReconcileResult(Guid ImportId, bool DuplicateFile, string Format, string Provider, int Lines, DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo, OutcomeCounts Counts, IReadOnlyList<ReconciliationItemView> Unresolved);

/// <summary>
/// Imports a statement file end to end: hash (the same file twice changes nothing), stream-parse, skip bank
/// transactions an overlapping statement already brought, match in memory (<see cref="StatementMatcher"/>), then
/// write the import, its lines (one batched insert, no per-row SaveChanges), the new reconciliation items and their
/// suspense postings, and close missing-credit items a later statement now shows — in one transaction.
/// </summary>
public sealed class StatementReconciler(PaymentsDbContext db, IWriteGate gate, TimeProvider clock, IConfiguration config, ILogger<StatementReconciler> log)
{
    /// <summary>A bank books a transfer up to this long after (or before, by time zone) the payment the system recorded.</summary>
    public TimeSpan Window => TimeSpan.FromDays(config.GetValue("Payments:Reconciliation:WindowDays", 3));

    /// <summary>Where the last import of this instance spent its time (parse, load, match, write), for logs and the benchmark.</summary>
    public IReadOnlyDictionary<string, TimeSpan> LastTimings { get; private set; } = new Dictionary<string, TimeSpan>();

    public async Task<Result<ReconcileResult>> ReconcileAsync(string path, string fileName, string? formatName, string? account, CallingClient caller,
        Action<double>? progress, CancellationToken ct)
    {
        var formats = StatementFormat.All(config);
        if (!formats.TryGetValue(string.IsNullOrWhiteSpace(formatName) ? "generic" : formatName.Trim(), out var format))
            return Error.Validation("unknown_format", $"Unknown statement format. Known: {string.Join(", ", formats.Keys)}.");
        var defaultAccount = string.IsNullOrWhiteSpace(account) ? config["Payments:Providers:vietqr:AccountNumber"] ?? "" : account.Trim();

        string sha;
        await using (var hashing = File.OpenRead(path)) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(hashing, ct));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var _ = await gate.EnterAsync(ct);
        if (await db.StatementImports.AsNoTracking().FirstOrDefaultAsync(i => i.Sha256 == sha, ct) is { } earlier)
            return await ResultOfAsync(earlier, duplicateFile: true, ct);

        // Parse everything first: a bad row refuses the whole file before anything is written.
        var lines = new List<StatementLine>();
        var size = new FileInfo(path).Length;
        try
        {
            await using var file = File.OpenRead(path);
            foreach (var line in StatementReader.Read(file, format, defaultAccount, read => progress?.Invoke(size == 0 ? 1 : 0.6 * read / size)))
                lines.Add(line);
        }
        catch (StatementFormatException ex)
        {
            return Error.Validation("statement_unreadable", ex.Message);
        }
        if (lines.Count == 0) return Error.Validation("statement_empty", "The file has a header but no lines.");
        var parsed = watch.Elapsed;

        var from = VietnamTime.StartOfDay(lines.Min(l => l.BookedAt));
        var to = VietnamTime.StartOfDay(lines.Max(l => l.BookedAt)).AddDays(1);
        var accounts = lines.Select(l => l.Account).Distinct().ToList();
        var (seenFrom, seenTo) = (from.AddDays(-7), to.AddDays(7));
        var seen = (await db.StatementLines.AsNoTracking()
                .Where(l => accounts.Contains(l.Account) && l.BookedAt >= seenFrom && l.BookedAt < seenTo)
                .Select(l => new { l.Account, l.BankTxnId }).ToListAsync(ct))
            .Select(l => (l.Account, l.BankTxnId)).ToHashSet();
        var fresh = new List<StatementLine>(lines.Count);
        foreach (var l in lines) if (seen.Add((l.Account, l.BankTxnId))) fresh.Add(l);
        var alreadyImported = lines.Count - fresh.Count;

        var provider = format.Provider;
        var agency = caller.AgencyCode;
        var (payFrom, payTo) = (from - Window, to + Window);
        var expected = (await (from a in db.Attempts.AsNoTracking()
                               join o in db.Orders.AsNoTracking() on a.OrderId equals o.Id
                               where a.Provider == provider && a.Status == AttemptStatus.Succeeded && o.AgencyCode == agency
                                     && a.CompletedAt >= payFrom && a.CompletedAt < payTo
                               select new { a.Id, a.OrderId, a.ProviderReference, a.ProviderTransactionId, a.Amount, a.CompletedAt }).ToListAsync(ct))
            .Select(a => new ExpectedCredit(a.Id.Value, a.OrderId.Value, a.ProviderReference, a.ProviderTransactionId, a.Amount.Minor, a.CompletedAt!.Value))
            .ToList();
        var matchedBefore = (await db.StatementLines.AsNoTracking().Where(l => l.AttemptId != null && l.BookedAt >= seenFrom && l.BookedAt < seenTo
                && (l.Outcome == (int)MatchOutcome.Matched || l.Outcome == (int)MatchOutcome.AmountMismatch))
            .Select(l => l.AttemptId!.Value).ToListAsync(ct)).ToHashSet();
        var held = await db.ReconciliationItems.AsNoTracking()
            .Where(i => i.Source == provider && i.StatementImportId == null && i.BookedAt >= seenFrom && i.BookedAt < seenTo)
            .Select(i => new HeldCredit(i.BankTxnId, i.Kind)).ToListAsync(ct);
        var missingKnown = (await db.ReconciliationItems.AsNoTracking().Where(i => i.Source == provider && i.Kind == ReconciliationKind.MissingCredit
                && i.BookedAt >= payFrom && i.BookedAt < payTo).Select(i => i.BankTxnId).ToListAsync(ct)).ToHashSet();
        progress?.Invoke(0.7);

        var loaded = watch.Elapsed;
        var matches = StatementMatcher.Match(fresh, expected, held, Window, from, to, matchedBefore);
        var matched = watch.Elapsed;
        progress?.Invoke(0.75);

        var now = clock.GetUtcNow();
        var import = new StatementImport
        {
            Sha256 = sha, FileName = Path.GetFileName(fileName).Length > 200 ? Path.GetFileName(fileName)[..200] : Path.GetFileName(fileName),
            Format = format.Name, Provider = provider, AgencyCode = agency, ImportedBy = caller.Actor, ImportedAt = now, PeriodFrom = from, PeriodTo = to,
            Lines = lines.Count, AlreadyImported = alreadyImported,
            Matched = matches.Count(m => m.Outcome == MatchOutcome.Matched),
            AmountMismatch = matches.Count(m => m.Outcome == MatchOutcome.AmountMismatch),
            UnknownCredit = matches.Count(m => m.Outcome == MatchOutcome.UnknownCredit),
            MissingCredit = matches.Count(m => m.Outcome == MatchOutcome.MissingCredit),
            Duplicate = matches.Count(m => m.Outcome == MatchOutcome.Duplicate),
            Ignored = matches.Count(m => m.Outcome == MatchOutcome.Ignored),
        };

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.StatementImports.Add(import);
        var items = new List<ReconciliationItem>();
        foreach (var m in matches) if (ItemFor(m, import.Id, provider, missingKnown, now) is { } item) items.Add(item);
        // Money the bank has and the books could not place goes to suspense, as when the bank's notification brings it —
        // one journal entry for the import (each item records its own share), not one per line.
        var heldTotal = items.Aggregate(0L, (sum, i) => checked(sum + i.Held.Minor));
        if (heldTotal > 0)
            db.LedgerTransactions.Add(Accounts.ForUnmatchedCredit(null, Money.Vnd(heldTotal), provider, $"statement {import.FileName} ({import.Id})", now).ForAgency(agency));
        // A payment that an earlier statement reported missing is now in the bank: close that item.
        var nowMatched = matches.Where(m => m.Outcome == MatchOutcome.Matched).Select(m => $"missing:{m.Expected!.AttemptId}").ToHashSet();
        // (Open missing items are few; filtering them here keeps a 100,000-element list out of the SQL.)
        if (nowMatched.Count > 0)
            foreach (var item in (await db.ReconciliationItems.Where(i => i.Kind == ReconciliationKind.MissingCredit && i.Status == ReconciliationStatus.Open
                         && i.Source == provider).ToListAsync(ct)).Where(i => nowMatched.Contains(i.BankTxnId)))
                item.Resolve(ReconciliationResolution.MatchedLater, $"Shown by statement {import.FileName}", "system:reconciliation", now);
        db.Audit.Add(new AuditEntry
        {
            At = now, Actor = caller.Actor, Action = "statement.import", EntityType = "statement", EntityId = import.Id.ToString(), AgencyCode = agency,
            AfterJson = JsonSerializer.Serialize(new { import.FileName, import.Format, import.Lines, import.Matched, import.AmountMismatch, import.UnknownCredit,
                import.MissingCredit, import.Duplicate, import.AlreadyImported }),
        });
        await db.SaveChangesAsync(ct);
        var saved = watch.Elapsed;
        await StatementRows.InsertItemsAsync(db, items, tx, ct);
        await StatementRows.InsertLinesAsync(db, matches, import.Id, tx, ct);
        await tx.CommitAsync(ct);
        progress?.Invoke(1);
        LastTimings = new Dictionary<string, TimeSpan>
        {
            ["parse"] = parsed, ["load"] = loaded - parsed, ["match"] = matched - loaded, ["items"] = saved - matched, ["lines"] = watch.Elapsed - saved,
            ["total"] = watch.Elapsed,
        };
        log.LogInformation("Imported {Format} statement {File}: {Lines} lines, {Matched} matched, {Unknown} unknown, {Missing} missing; " +
            "parse {Parse} ms, load {Load} ms, match {Match} ms, items {Items} ms, lines {Insert} ms",
            format.Name, import.FileName, import.Lines, import.Matched, import.UnknownCredit, import.MissingCredit, (int)parsed.TotalMilliseconds,
            (int)(loaded - parsed).TotalMilliseconds, (int)(matched - loaded).TotalMilliseconds, (int)(saved - matched).TotalMilliseconds,
            (int)(watch.Elapsed - saved).TotalMilliseconds);
        return await ResultOfAsync(import, duplicateFile: false, ct);
    }

    private static ReconciliationItem? ItemFor(Match m, Guid importId, string provider, HashSet<string> missingKnown, DateTimeOffset now)
    {
        if (m.Held || m.Outcome is MatchOutcome.Matched or MatchOutcome.Ignored) return null;
        var zero = Money.Zero(Currency.Vnd);
        if (m.Outcome == MatchOutcome.MissingCredit)
        {
            var e = m.Expected!;
            var key = $"missing:{e.AttemptId}";
            if (!missingKnown.Add(key)) return null; // an earlier statement already reported it
            return ReconciliationItem.FromStatement(importId, provider, key, "", Money.Vnd(e.Amount), e.PaymentCode, e.PaidAt,
                ReconciliationKind.MissingCredit, new PaymentOrderId(e.OrderId), Money.Vnd(e.Amount), zero, Money.Vnd(e.Amount), now);
        }
        var line = m.Line!;
        var (kind, held, shortfall) = m.Outcome switch
        {
            MatchOutcome.AmountMismatch when line.Amount > m.Expected!.Amount => (ReconciliationKind.AmountMismatch, Money.Vnd(line.Amount - m.Expected.Amount), zero),
            MatchOutcome.AmountMismatch => (ReconciliationKind.AmountMismatch, zero, Money.Vnd(m.Expected!.Amount - line.Amount)),
            MatchOutcome.Duplicate => (ReconciliationKind.DuplicateCredit, Money.Vnd(line.Amount), zero),
            _ => (ReconciliationKind.UnknownCredit, Money.Vnd(line.Amount), zero),
        };
        return ReconciliationItem.FromStatement(importId, provider, line.BankTxnId, line.Account, Money.Vnd(line.Amount), line.Content, line.BookedAt,
            kind, m.Expected is { } x ? new PaymentOrderId(x.OrderId) : null, m.Expected is { } ex ? Money.Vnd(ex.Amount) : null, held, shortfall, now);
    }

    private async Task<ReconcileResult> ResultOfAsync(StatementImport i, bool duplicateFile, CancellationToken ct)
    {
        var id = i.Id;
        var items = await db.ReconciliationItems.AsNoTracking().Where(x => x.StatementImportId == id && x.Status != ReconciliationStatus.Resolved)
            .OrderBy(x => x.BookedAt).Take(1000).ToListAsync(ct);
        return new ReconcileResult(i.Id, duplicateFile, i.Format, i.Provider, i.Lines, i.PeriodFrom, i.PeriodTo,
            new OutcomeCounts(i.Matched, i.AmountMismatch, i.UnknownCredit, i.MissingCredit, i.Duplicate, i.AlreadyImported, i.Ignored),
            items.Select(ReconciliationItemView.From).ToList());
    }
}
