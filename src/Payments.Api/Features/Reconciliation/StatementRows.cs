using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Payments.Api.Infrastructure.Persistence;
using Payments.Domain.Reconciliation;

namespace Payments.Api.Features.Reconciliation;

/// <summary>The bulk writes of an import: prepared, reused inserts inside the import's transaction (no tracked entity per row).</summary>
internal static class StatementRows
{
    /// <summary>
    /// New items in one prepared, batched insert (a statement of unknown credits would otherwise cost a tracked entity per
    /// line). Columns and value formats are the EF model's for this store; the tests read every item back through EF.
    /// </summary>
    public static async Task InsertItemsAsync(PaymentsDbContext db, IReadOnlyList<ReconciliationItem> items, IDbContextTransaction tx, CancellationToken ct)
    {
        if (items.Count == 0) return;
        var store = StoreValues.Of(db);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = tx.GetDbTransaction();
        command.CommandText = "INSERT INTO \"ReconciliationItems\" (\"Id\", \"Source\", \"BankTxnId\", \"Account\", \"Amount\", \"AmountCurrency\", \"Content\", " +
                              "\"BookedAt\", \"Kind\", \"OrderId\", \"ExpectedAmount\", \"Status\", \"CreatedAt\", \"StatementImportId\", \"Held\", \"Shortfall\") " +
                              "VALUES (@id, @source, @txn, @account, @amount, @currency, @content, @booked, @kind, @order, @expected, @status, @created, @import, @held, @shortfall)";
        var p = Parameters(command, ("@id", store.GuidType), ("@source", DbType.String), ("@txn", DbType.String), ("@account", DbType.String),
            ("@amount", DbType.Int64), ("@currency", DbType.String), ("@content", DbType.String), ("@booked", store.InstantType), ("@kind", DbType.String),
            ("@order", store.GuidType), ("@expected", DbType.Int64), ("@status", DbType.String), ("@created", store.InstantType), ("@import", store.GuidType),
            ("@held", DbType.Int64), ("@shortfall", DbType.Int64));
        await command.PrepareAsync(ct);
        foreach (var i in items)
        {
            p["@id"].Value = store.Guid(i.Id);
            p["@source"].Value = i.Source;
            p["@txn"].Value = i.BankTxnId;
            p["@account"].Value = i.Account;
            p["@amount"].Value = i.Amount.Minor;
            p["@currency"].Value = i.Amount.Currency.Code;
            p["@content"].Value = i.Content;
            p["@booked"].Value = store.Instant(i.BookedAt);
            p["@kind"].Value = i.Kind.ToString();
            p["@order"].Value = i.OrderId is { } o ? store.Guid(o.Value) : DBNull.Value;
            p["@expected"].Value = i.ExpectedAmount is { } e ? e.Minor : DBNull.Value;
            p["@status"].Value = i.Status.ToString();
            p["@created"].Value = store.Instant(i.CreatedAt);
            p["@import"].Value = store.Guid(i.StatementImportId!.Value);
            p["@held"].Value = i.Held.Minor;
            p["@shortfall"].Value = i.Shortfall.Minor;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static Dictionary<string, DbParameter> Parameters(DbCommand command, params (string Name, DbType Type)[] names)
    {
        var all = new Dictionary<string, DbParameter>();
        foreach (var (name, type) in names)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.DbType = type;
            command.Parameters.Add(p);
            all[name] = p;
        }
        return all;
    }

    /// <summary>One prepared insert reused for every line, inside the import's transaction.</summary>
    public static async Task InsertLinesAsync(PaymentsDbContext db, IReadOnlyList<Match> matches, Guid importId, IDbContextTransaction tx, CancellationToken ct)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = tx.GetDbTransaction();
        command.CommandText = "INSERT INTO \"StatementLines\" (\"ImportId\", \"Account\", \"BankTxnId\", \"BookedAt\", \"Amount\", \"Content\", \"Outcome\", \"AttemptId\") " +
                              "VALUES (@import, @account, @txn, @booked, @amount, @content, @outcome, @attempt)";
        var store = StoreValues.Of(db);
        var p = Parameters(command, ("@import", store.GuidType), ("@account", DbType.String), ("@txn", DbType.String), ("@booked", store.InstantType),
            ("@amount", DbType.Int64), ("@content", DbType.String), ("@outcome", DbType.Int32), ("@attempt", store.GuidType));
        p["@import"].Value = store.Guid(importId);
        await command.PrepareAsync(ct);
        foreach (var m in matches)
        {
            if (m.Line is not { } line) continue;
            p["@account"].Value = line.Account;
            p["@txn"].Value = line.BankTxnId;
            p["@booked"].Value = store.Instant(line.BookedAt);
            p["@amount"].Value = line.Amount;
            p["@content"].Value = line.Content;
            p["@outcome"].Value = (int)m.Outcome;
            p["@attempt"].Value = m.Expected is { } e ? store.Guid(e.AttemptId) : DBNull.Value;
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}

/// <summary>Values as the EF model stores them on each store, for the few raw batched writes.</summary>
internal sealed class StoreValues(bool sqlite)
{
    public static StoreValues Of(PaymentsDbContext db) => new(db.Store == StoreKind.Sqlite);

    /// <summary>SQLite: upper-case text (EF Core's format); the server stores: a native uuid / uniqueidentifier.</summary>
    public object Guid(Guid id) => sqlite ? id.ToString().ToUpperInvariant() : id;

    /// <summary>SQLite: UTC ticks (UtcTicksConverter); the server stores: timestamptz / datetimeoffset in UTC.</summary>
    public object Instant(DateTimeOffset at) => sqlite ? at.UtcTicks : at.ToUniversalTime();

    public DbType GuidType => sqlite ? DbType.String : DbType.Guid;
    public DbType InstantType => sqlite ? DbType.Int64 : DbType.DateTimeOffset;
}
