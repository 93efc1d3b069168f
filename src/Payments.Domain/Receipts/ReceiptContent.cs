using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Payments.Domain.Receipts;

/// <summary>The collecting organisation as printed on its receipts.</summary>
public sealed record Organisation(string Name, string TaxCode, string? Address);

public sealed record ReceiptPayer(string Name, string? Address, string? IdNumber);

public sealed record ReceiptLine(int No, string Name, string LegalBasis, string Kind, int Quantity, long Amount);

/// <summary>
/// Everything a receipt says, frozen at issue (VIETNAM.md §5 mandatory content plus payer and payment facts). Its
/// canonical JSON (declaration order, no whitespace, UTF-8 unescaped) is what is hashed and signed, and what the PDF
/// and the verification page are drawn from: later changes to orders or catalogues never alter an issued receipt.
/// </summary>
public sealed record ReceiptContent(
    string Title,
    string TemplateSymbol,
    string Series,
    string Number,
    Organisation Organisation,
    ReceiptPayer Payer,
    IReadOnlyList<ReceiptLine> Lines,
    long Total,
    string Currency,
    string TotalInWords,
    string PaymentMethod,
    string? ProviderReference,
    string? ProviderTransactionId,
    string DossierCode,
    string CollectedAt,
    string Collector,
    string? Replaces)
{
    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public string ToCanonicalJson() => JsonSerializer.Serialize(this, Canonical);

    public static ReceiptContent FromCanonicalJson(string json) =>
        JsonSerializer.Deserialize<ReceiptContent>(json, Canonical) ?? throw new InvalidOperationException("Empty receipt content.");
}
