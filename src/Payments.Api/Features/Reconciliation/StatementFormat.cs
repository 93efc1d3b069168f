using System.Globalization;
using System.Text;
using CsvHelper;
using Payments.Domain.Common;
using Payments.Domain.Reconciliation;

namespace Payments.Api.Features.Reconciliation;

/// <summary>
/// How to read one bank's (or provider's) CSV export: delimiter, the header names of each column, date formats,
/// and whether amounts are one signed column or separate debit/credit columns. Presets below; more (or changed
/// ones) come from <c>Payments:Reconciliation:Formats:&lt;name&gt;</c> with the same property names.
/// </summary>
public sealed record StatementFormat
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    /// <summary>Whose payments this file settles: vietqr (the collection bank account) or vnptpay (the wallet).</summary>
    public string Provider { get; init; } = "vietqr";
    public string Delimiter { get; init; } = ",";
    public required string TxnId { get; init; }
    public required string BookedAt { get; init; }
    /// <summary>A signed amount column (credits positive); or leave empty and give <see cref="Credit"/> (and <see cref="Debit"/>).</summary>
    public string? Amount { get; init; }
    public string? Credit { get; init; }
    public string? Debit { get; init; }
    public string? Content { get; init; }
    /// <summary>Column of the receiving account; without one the account given at import (or the configured VietQR account) is used.</summary>
    public string? Account { get; init; }
    /// <summary>Formats tried in order; values without an offset are Vietnam time (GMT+7).</summary>
    public string[] DateFormats { get; init; } = ["yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd"];
    /// <summary>The file states amounts times this (the wallet reports ×100 like its API).</summary>
    public long AmountScale { get; init; } = 1;
    /// <summary>Times written without an offset are UTC (Stripe's reports), not Vietnam time.</summary>
    public bool Utc { get; init; }
    /// <summary>Amounts carry thousands separators ("135.000" or "135,000"): digits are read, separators dropped.</summary>
    public bool GroupedAmounts { get; init; }

    public static readonly IReadOnlyDictionary<string, StatementFormat> Presets = new Dictionary<string, StatementFormat>(StringComparer.OrdinalIgnoreCase)
    {
        ["generic"] = new()
        {
            Name = "generic", Description = "Generic CSV: bankTxnId,bookedAt,amount,content,account (ISO 8601 times, whole đồng, debits negative)",
            TxnId = "bankTxnId", BookedAt = "bookedAt", Amount = "amount", Content = "content", Account = "account",
        },
        // Layouts defined from the account-statement exports Vietnamese banks publish for their business customers
        // (title rows above the header, Vietnamese headers, dd/MM/yyyy, grouped amounts, separate debit and credit).
        // Column names differ between a bank's channels and versions: check a real file and adjust by configuration.
        ["vcb"] = new()
        {
            Name = "vcb", Description = "Vietcombank-style statement: Ngày giao dịch, Số tham chiếu, Số tiền ghi nợ, Số tiền ghi có, Số dư, Mô tả",
            TxnId = "Số tham chiếu", BookedAt = "Ngày giao dịch", Debit = "Số tiền ghi nợ", Credit = "Số tiền ghi có", Content = "Mô tả",
            DateFormats = ["dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy"], GroupedAmounts = true,
        },
        ["tcb"] = new()
        {
            Name = "tcb", Description = "Techcombank-style statement (semicolons): Ngày; Mã giao dịch; Diễn giải; Nợ; Có; Số dư",
            Delimiter = ";", TxnId = "Mã giao dịch", BookedAt = "Ngày", Debit = "Nợ", Credit = "Có", Content = "Diễn giải",
            DateFormats = ["dd/MM/yyyy HH:mm", "dd/MM/yyyy"], GroupedAmounts = true,
        },
        ["vnptpay"] = new()
        {
            Name = "vnptpay", Description = "VNPT Pay settlement report: TransactionNo, TxnRef, Amount (×100), PayDate (yyyyMMddHHmmss), Merchant",
            Provider = "vnptpay", TxnId = "TransactionNo", BookedAt = "PayDate", Amount = "Amount", Content = "TxnRef", Account = "Merchant",
            DateFormats = ["yyyyMMddHHmmss"], AmountScale = 100,
        },
        ["stripe"] = new()
        {
            Name = "stripe", Description = "Stripe itemized balance report: payment_intent_id, created_utc, gross (VND has no decimals), description",
            Provider = "stripe", TxnId = "payment_intent_id", BookedAt = "created_utc", Amount = "gross", Content = "description",
            DateFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ"], Utc = true,
        },
    };

    public static IReadOnlyDictionary<string, StatementFormat> All(IConfiguration config)
    {
        var all = new Dictionary<string, StatementFormat>(Presets, StringComparer.OrdinalIgnoreCase);
        foreach (var section in config.GetSection("Payments:Reconciliation:Formats").GetChildren())
        {
            var baseline = all.GetValueOrDefault(section.Key) ?? new StatementFormat { Name = section.Key, TxnId = "", BookedAt = "" };
            all[section.Key] = baseline with
            {
                Name = section.Key,
                Description = section["Description"] ?? baseline.Description,
                Provider = section["Provider"] ?? baseline.Provider,
                Delimiter = section["Delimiter"] ?? baseline.Delimiter,
                TxnId = section["TxnId"] ?? baseline.TxnId,
                BookedAt = section["BookedAt"] ?? baseline.BookedAt,
                Amount = section["Amount"] ?? baseline.Amount,
                Credit = section["Credit"] ?? baseline.Credit,
                Debit = section["Debit"] ?? baseline.Debit,
                Content = section["Content"] ?? baseline.Content,
                Account = section["Account"] ?? baseline.Account,
                DateFormats = section.GetSection("DateFormats").Get<string[]>() ?? baseline.DateFormats,
                AmountScale = section.GetValue("AmountScale", baseline.AmountScale),
                GroupedAmounts = section.GetValue("GroupedAmounts", baseline.GroupedAmounts),
                Utc = section.GetValue("Utc", baseline.Utc),
            };
        }
        return all;
    }
}

/// <summary>A file that cannot be read as the format says; nothing of it is imported.</summary>
public sealed class StatementFormatException(string message) : Exception(message);

/// <summary>
/// Streams a statement: finds the header row (bank exports put title rows above it), then yields one
/// <see cref="StatementLine"/> per row without holding the file in memory. A row that does not parse stops the
/// import with its line number.
/// </summary>
public static class StatementReader
{
    public static IEnumerable<StatementLine> Read(Stream stream, StatementFormat f, string defaultAccount, Action<long>? progress = null)
    {
        using var csv = CsvReader.Create(stream, new CsvReaderOptions
        {
            Separator = f.Delimiter[0], HasHeader = false, TrimWhitespace = true, TrackLineNumbers = true, SkipEmptyLines = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
        }, true);
        Dictionary<string, int>? columns = null;
        var rows = 0;
        var record = new List<string>();
        while (csv.Read())
        {
            record.Clear();
            for (var i = 0; i < csv.FieldCount; i++) record.Add(csv.GetString(i));
            var row = (int)csv.LineNumber;
            if (columns is null)
            {
                if (record.Any(c => Same(c, f.TxnId)) && record.Any(c => Same(c, f.BookedAt)))
                {
                    columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                    for (var i = 0; i < record.Count; i++) columns.TryAdd(Clean(record[i]), i);
                    var needed = f.Amount ?? f.Credit;
                    if (needed is null || !columns.ContainsKey(needed.Normalize(NormalizationForm.FormC)))
                        throw new StatementFormatException($"The header has no '{needed}' column for format {f.Name}.");
                }
                else if (row > 50) throw new StatementFormatException($"No header with '{f.TxnId}' and '{f.BookedAt}' in the first 50 rows: is this a {f.Name} file?");
                continue;
            }
            if (record.All(string.IsNullOrWhiteSpace)) continue;
            if (++rows % 4096 == 0) progress?.Invoke(csv.ByteOffset);
            yield return Line(record, columns, f, defaultAccount, row);
        }
        if (columns is null) throw new StatementFormatException($"No header with '{f.TxnId}' and '{f.BookedAt}': is this a {f.Name} file?");
        progress?.Invoke(stream.CanSeek ? stream.Length : csv.ByteOffset);
    }

    private static StatementLine Line(List<string> r, Dictionary<string, int> columns, StatementFormat f, string defaultAccount, int row)
    {
        string? Get(string? name) => name is not null && columns.TryGetValue(name.Normalize(NormalizationForm.FormC), out var i) && i < r.Count ? r[i] : null;
        var txn = Get(f.TxnId);
        if (string.IsNullOrWhiteSpace(txn)) throw new StatementFormatException($"Row {row}: no transaction id.");
        var at = Get(f.BookedAt) ?? "";
        if (!DateTimeOffset.TryParseExact(at, f.DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var bookedAt))
        {
            if (!DateTime.TryParseExact(at, f.DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
                throw new StatementFormatException($"Row {row}: '{at}' is not a date in {string.Join(" or ", f.DateFormats)}.");
            bookedAt = new DateTimeOffset(local, f.Utc ? TimeSpan.Zero : VietnamTime.Offset);
        }
        else if (!at.Contains('+') && !at.EndsWith('Z') && at.LastIndexOf('-') < 8)
            bookedAt = new DateTimeOffset(bookedAt.DateTime, f.Utc ? TimeSpan.Zero : VietnamTime.Offset); // no offset written
        long amount;
        if (f.Amount is not null) amount = Amount(Get(f.Amount), f, row);
        else amount = Amount(Get(f.Credit), f, row) - Amount(Get(f.Debit), f, row);
        var content = Get(f.Content) ?? "";
        return new StatementLine(row, txn.Trim(), bookedAt, amount, content.Length > 500 ? content[..500] : content,
            string.IsNullOrWhiteSpace(Get(f.Account)) ? defaultAccount : Get(f.Account)!.Trim());
    }

    private static long Amount(string? text, StatementFormat f, int row)
    {
        if (string.IsNullOrWhiteSpace(text)) return 0;
        var s = text.Trim();
        var negative = s.StartsWith('-');
        if (negative) s = s[1..];
        if (f.GroupedAmounts) s = s.Replace(".", "").Replace(",", "").Replace(" ", "");
        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new StatementFormatException($"Row {row}: '{text}' is not an amount in whole đồng.");
        if (value % f.AmountScale != 0) throw new StatementFormatException($"Row {row}: '{text}' is not a multiple of {f.AmountScale}.");
        value /= f.AmountScale;
        return negative ? -value : value;
    }

    private static string Clean(string header) => header.Trim().Trim('\uFEFF').Normalize(NormalizationForm.FormC);
    private static bool Same(string cell, string name) => string.Equals(Clean(cell), name.Normalize(NormalizationForm.FormC), StringComparison.OrdinalIgnoreCase);
}
