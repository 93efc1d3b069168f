using System.Text;
using CsvHelper;
using MiniExcelLibs;

namespace Payments.Api.Features.Reports;

/// <summary>
/// Writes a report as CSV (CsvHelper, UTF-8 with BOM so spreadsheets read Vietnamese, streamed row by row) or XLSX
/// (MiniExcel, rows pulled one at a time into a temporary file, then streamed). Amounts stay integers in đồng; text
/// that a spreadsheet would run as a formula is written with a leading apostrophe.
/// </summary>
public static class Exports
{
    public static async Task WriteCsvAsync(Report report, Stream output, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { WriteByteOrderMark = true }, true);
        await csv.WriteRecordAsync(report.Headers, ct);
        var cells = new string[report.Headers.Length];
        await foreach (var row in report.Rows.WithCancellation(ct))
        {
            for (var i = 0; i < cells.Length; i++) cells[i] = Cell(row[i]);
            await csv.WriteRecordAsync(cells, ct);
        }
        await csv.FlushAsync(ct);
    }

    public static async Task WriteXlsxAsync(Report report, Stream output, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), "payments-export-" + Guid.NewGuid().ToString("N") + ".xlsx");
        try
        {
            // MiniExcel writes synchronously from an IEnumerable; run it off the request thread into a file.
            await Task.Run(() => MiniExcel.SaveAs(path, Rows(report, ct), sheetName: report.Name, excelType: ExcelType.XLSX), ct);
            await using var file = File.OpenRead(path);
            await file.CopyToAsync(output, ct);
        }
        finally { File.Delete(path); }
    }

    private static IEnumerable<IDictionary<string, object?>> Rows(Report report, CancellationToken ct)
    {
        foreach (var row in report.Rows.ToBlockingEnumerable(ct))
        {
            var record = new Dictionary<string, object?>(report.Headers.Length);
            for (var i = 0; i < report.Headers.Length; i++) record[report.Headers[i]] = row[i] is string s ? Safe(s) : row[i];
            yield return record;
        }
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        long n => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        string s => Safe(s),
        _ => Safe(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""),
    };

    /// <summary>CSV/formula injection: "=", "+", "-", "@", tab and CR start a formula in spreadsheets; numbers are never text here.</summary>
    private static string Safe(string s) => s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + s : s;

    public static string ContentType(string format) =>
        format == "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8";
}
