using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Common;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.Receipts;

/// <summary>
/// Takes the next number of the agency's active series for the year of issue and adds the receipt to the
/// caller's transaction. Nothing is saved here: the number is spent only if the whole payment commits. On SQLite the
/// counter's row is already incremented in the transaction when a failure comes back: a caller must then fail its
/// command (every caller does), never commit without the receipt, or the number would be skipped.
/// </summary>
public sealed class ReceiptIssuer(PaymentsDbContext db, IReceiptIssuerPort issuer, ReceiptSealer sealer, ReadCache cache)
{
    public async Task<Result<Receipt>> IssueAsync(PaymentOrder order, PaymentAttempt? attempt, string collector, DateTimeOffset now, CancellationToken ct,
        Receipt? replaces = null, ReceiptPayer? correctedPayer = null)
    {
        var series = await ActiveSeriesAsync(order.AgencyCode, ct)
                     ?? throw new InvalidOperationException($"Agency {order.AgencyCode} has no active receipt series; an admin must register one.");
        var year = VietnamTime.YearOf(now);
        var counter = await LockCounterAsync(series, year, ct);
        if (counter is null)
        {
            // First receipt of the year: a racing writer creating the same row loses on the primary key and retries.
            counter = new ReceiptCounter(series.Id, year);
            db.ReceiptCounters.Add(counter);
        }
        var agency = await AgencyAsync(order.AgencyCode, ct);
        var receipt = Receipt.Issue(order, attempt, series, counter, collector, new Organisation(agency.Name, agency.TaxCode, agency.Address),
            Infrastructure.Auth.Tokens.NewSortableToken(now), now, replaces, correctedPayer);
        if (!receipt.IsSuccess) return receipt;
        if (replaces is null && db.CommitsInGroup && sealer.Healthy) SealAtCommit(receipt.Value, now);
        else SealInPlace(receipt.Value, now);
        if (replaces is null) db.Insert(receipt.Value);
        return receipt;
    }

    /// <summary>
    /// In a commit group (SQLite): the receipt is written unsigned in this turn while <see cref="ReceiptSealer"/> signs it on
    /// its own thread; the group's commit writes the seal just before COMMIT, in the same transaction (ADR-0027).
    /// </summary>
    private void SealAtCommit(Receipt receipt, DateTimeOffset now)
    {
        var sealing = sealer.SignAsync(receipt, now);
        var statement = SealStatement.For(db);
        db.AtCommit((connection, transaction) =>
        {
            // The sealer's own thread completes it (no pool thread is waited for); a hung signer must not hold every writer.
            if (!((IAsyncResult)sealing).AsyncWaitHandle.WaitOne(SealTimeout))
            {
                sealer.Failed();
                throw new TimeoutException($"Signing receipt {receipt.Id} took longer than {SealTimeout.TotalSeconds:0} s.");
            }
            var seal = sealing.GetAwaiter().GetResult(); // rethrows the signer's own exception
            var command = PreparedCommands.Take(connection, transaction, statement.Sql);
            try
            {
                var values = new object?[] { seal.Signature, seal.Algorithm, seal.Subject, seal.Thumbprint, seal.Certificate, seal.At, receipt.Id };
                for (var i = 0; i < values.Length; i++) command.Bind(PreparedCommands.Parameter(i), statement.Mappings[i], values[i], nullable: false);
                if (command.ExecuteNonQuery() != 1) throw new InvalidOperationException($"Receipt {receipt.Id} was not there, unsigned, to seal.");
            }
            finally { PreparedCommands.Release(command); }
            receipt.Apply(seal);
        });
    }

    private static readonly TimeSpan SealTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Signs in the command's own turn: a failure undoes this command only. A success shows signing works again.</summary>
    private void SealInPlace(Receipt receipt, DateTimeOffset now)
    {
        try { issuer.Seal(receipt, now); }
        catch
        {
            sealer.Failed();
            throw;
        }
        if (!sealer.Healthy) sealer.Recovered();
    }

    /// <summary>The UPDATE that writes a seal, from the EF model's own table and columns (built once per model).</summary>
    private sealed record SealStatement(string Sql, Microsoft.EntityFrameworkCore.Storage.RelationalTypeMapping[] Mappings)
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, SealStatement> Built = new();
        private static readonly string[] Sealed =
            [nameof(Receipt.Signature), nameof(Receipt.SignatureAlgorithm), nameof(Receipt.SignerSubject), nameof(Receipt.SignerThumbprint),
             nameof(Receipt.SignerCertificate), nameof(Receipt.SignedAt)];

        public static SealStatement For(PaymentsDbContext db) => Built.GetValue(db.Model, model =>
        {
            var type = model.FindEntityType(typeof(Receipt))!;
            var table = type.GetTableMappings().Single().Table;
            string Column(string property) => PreparedCommands.Quote(type.FindProperty(property)!.ColumnIn(table).Column.Name);
            var i = 0;
            var sql = $"UPDATE {PreparedCommands.Quote(table.Name)} SET {string.Join(", ", Sealed.Select(p => $"{Column(p)} = {PreparedCommands.Parameter(i++)}"))} " +
                      $"WHERE {Column(nameof(Receipt.Id))} = {PreparedCommands.Parameter(i)} AND {Column(nameof(Receipt.Signature))} IS NULL";
            return new SealStatement(sql, Sealed.Append(nameof(Receipt.Id)).Select(p => RowReader.MappingOf<Receipt>(db, p)).ToArray());
        });
    }

    /// <summary>
    /// The agency's active series (the first registered), cached until any series changes (ADR-0022): it is read in the
    /// writers' turn on every payment. Its counter is not cached — that is read and locked each time.
    /// </summary>
    internal async Task<ReceiptSeries?> ActiveSeriesAsync(string agencyCode, CancellationToken ct)
    {
        var key = cache.Grouped(ReadCache.Series, agencyCode);
        if (cache.TryGet<ReceiptSeries>(key, out var series)) return series;
        var generation = cache.Generation(ReadCache.Series);
        var found = await db.ReceiptSeries.AsNoTracking().Where(s => s.AgencyCode == agencyCode && s.Active).OrderBy(s => s.Id).FirstOrDefaultAsync(ct);
        if (found is not null) cache.Put(key, generation, found, ReadCache.Series);
        return found;
    }

    /// <summary>The organisation block printed on the receipt, cached until an agency changes (ADR-0022).</summary>
    private async Task<Agency> AgencyAsync(string code, CancellationToken ct)
    {
        var key = cache.Grouped(ReadCache.Agencies, code);
        if (cache.TryGet<Agency>(key, out var agency)) return agency;
        var generation = cache.Generation(ReadCache.Agencies);
        agency = await db.Agencies.AsNoTracking().SingleAsync(a => a.Code == code, ct);
        cache.Put(key, generation, agency, ReadCache.Agencies);
        return agency;
    }

    /// <summary>
    /// The series' counter for the year. On the server stores the row is created if missing and locked until the
    /// transaction ends (FOR UPDATE / UPDLOCK), so issuers of one series take numbers one after another — gapless, as a
    /// rollback releases the number with the lock — while other series are not held up. SQLite has one writer anyway.
    /// </summary>
    private async Task<ReceiptCounter?> LockCounterAsync(ReceiptSeries series, int year, CancellationToken ct)
    {
        var seriesId = series.Id;
        if (db.Store == StoreKind.Postgres)
        {
            // The common case in one round trip: the number taken by the UPDATE, whose row lock is held until the end.
            if (await TakeNumberAsync(series, year, ct) is { } taken) return taken;
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO \"ReceiptCounters\" (\"SeriesId\", \"Year\", \"LastNumber\", \"Version\") VALUES ({seriesId}, {year}, 0, 0) ON CONFLICT DO NOTHING", ct);
            return await db.ReceiptCounters.FromSqlInterpolated(
                $"SELECT * FROM \"ReceiptCounters\" WHERE \"SeriesId\" = {seriesId} AND \"Year\" = {year} FOR UPDATE").SingleAsync(ct);
        }
        if (db.Store == StoreKind.SqlServer)
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"IF NOT EXISTS (SELECT 1 FROM [ReceiptCounters] WITH (UPDLOCK, HOLDLOCK) WHERE [SeriesId] = {seriesId} AND [Year] = {year}) INSERT INTO [ReceiptCounters] ([SeriesId], [Year], [LastNumber], [Version]) VALUES ({seriesId}, {year}, 0, 0)", ct);
            return await db.ReceiptCounters.FromSqlInterpolated(
                $"SELECT * FROM [ReceiptCounters] WITH (UPDLOCK, ROWLOCK) WHERE [SeriesId] = {seriesId} AND [Year] = {year}").SingleAsync(ct);
        }
        return await TakeNumberAsync(series, year, ct) ?? await CounterOf(db, seriesId, year, ct);
    }

    /// <summary>
    /// SQLite, in the writer's turn, and PostgreSQL, under the row's lock: the next number taken with one prepared
    /// <c>UPDATE … RETURNING</c> in the command's transaction, so it is spent only if the command commits. The counter
    /// comes back untracked, as it was before the UPDATE (its <see cref="ReceiptCounter.Next"/> gives the taken number).
    /// This replaces a tracked read and a later UPDATE of the counter (on PostgreSQL, a locking read): on SQLite both
    /// inside the turn on every payment, on PostgreSQL a round trip more while the series' lock is held. Null when there
    /// is no row for the year yet or the series is exhausted: the tracked read then decides, as on the other stores.
    /// </summary>
    private async ValueTask<ReceiptCounter?> TakeNumberAsync(ReceiptSeries series, int year, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction?.GetDbTransaction() is not { } transaction) return null;
        var command = PreparedCommands.Take(transaction.Connection!, transaction, TakeNumberSql);
        try
        {
            command.Bind("@series", RowReader.MappingOf<ReceiptCounter>(db, nameof(ReceiptCounter.SeriesId)), series.Id, nullable: false);
            command.Bind("@year", RowReader.MappingOf<ReceiptCounter>(db, nameof(ReceiptCounter.Year)), year, nullable: false);
            command.Bind("@max", RowReader.MappingOf<ReceiptCounter>(db, nameof(ReceiptCounter.LastNumber)), series.MaxNumber, nullable: false);
            // SQLite in the writer's turn steps it synchronously, as every statement there; a server store is waited for.
            var sqlite = db.Store == StoreKind.Sqlite;
            await using var reader = sqlite ? command.ExecuteReader() : await command.ExecuteReaderAsync(ct);
            return (sqlite ? reader.Read() : await reader.ReadAsync(ct))
                ? ReceiptCounter.Before(series.Id, year, reader.GetInt32(0), reader.GetInt32(1)) : null;
        }
        finally { PreparedCommands.Release(command); }
    }

    private const string TakeNumberSql =
        "UPDATE \"ReceiptCounters\" SET \"LastNumber\" = \"LastNumber\" + 1, \"Version\" = \"Version\" + 1 " +
        "WHERE \"SeriesId\" = @series AND \"Year\" = @year AND \"LastNumber\" < @max RETURNING \"LastNumber\", \"Version\"";

    /// <summary>Compiled once: read in the writers' turn on every payment (ADR-0025).</summary>
    private static readonly Func<PaymentsDbContext, int, int, CancellationToken, Task<ReceiptCounter?>> CounterOf =
        EF.CompileAsyncQuery((PaymentsDbContext db, int seriesId, int year, CancellationToken ct) =>
            db.ReceiptCounters.FirstOrDefault(c => c.SeriesId == seriesId && c.Year == year));
}
