using Payments.Domain.Common;
using Payments.Domain.Orders;

namespace Payments.Domain.Receipts;

public enum ReceiptStatus
{
    Valid,
    Cancelled,
    Replaced,
}

/// <summary>A fee/charge receipt (biên lai thu phí, lệ phí). Its number is never reused, whatever happens later.</summary>
public sealed class Receipt
{
    public const string Title = "Biên lai thu phí, lệ phí";

    private Receipt()
    {
        TemplateSymbol = Series = AgencyCode = DossierCode = PayerName = PaymentMethod = Collector = "";
    }

    public ReceiptId Id { get; private set; }
    public PaymentOrderId OrderId { get; private set; }
    public PaymentAttemptId? AttemptId { get; private set; }
    public int SeriesId { get; private set; }
    public string TemplateSymbol { get; private set; }
    public string Series { get; private set; }
    public int Year { get; private set; }
    public int Number { get; private set; }
    public Money Amount { get; private set; }
    public string AgencyCode { get; private set; }
    public string DossierCode { get; private set; }
    public string PayerName { get; private set; }
    public string? PayerIdNumber { get; private set; }
    public string? PayerAddress { get; private set; }
    public string PaymentMethod { get; private set; }
    public string? ProviderReference { get; private set; }
    public string? ProviderTransactionId { get; private set; }
    /// <summary>Who collected: a cashier's name, or "system" for an online payment.</summary>
    public string Collector { get; private set; }
    public DateTimeOffset IssuedAt { get; private set; }
    public ReceiptStatus Status { get; private set; }

    /// <summary>Unguessable token of the public verification page (never the id).</summary>
    public string VerifyToken { get; private set; } = "";
    /// <summary>The canonical JSON of <see cref="ReceiptContent"/>: what was signed.</summary>
    public string ContentJson { get; private set; } = "";
    public string ContentSha256 { get; private set; } = "";
    public string? Signature { get; private set; }
    public string? SignatureAlgorithm { get; private set; }
    public string? SignerSubject { get; private set; }
    public string? SignerThumbprint { get; private set; }
    /// <summary>The signer's certificate (DER, base64), so a receipt verifies after the key is rotated.</summary>
    public string? SignerCertificate { get; private set; }
    public DateTimeOffset? SignedAt { get; private set; }
    public ReceiptId? ReplacesId { get; private set; }
    public ReceiptId? ReplacedById { get; private set; }
    public string? CancelReason { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }

    public ReceiptContent Content => ReceiptContent.FromCanonicalJson(ContentJson);

    /// <summary>Records the signature over the canonical content; a receipt is sealed once.</summary>
    public void Seal(string contentSha256, string signature, string algorithm, string signerSubject, string thumbprint, string certificate, DateTimeOffset at)
    {
        if (Signature is not null) throw new InvalidOperationException("The receipt is already signed.");
        if (contentSha256 != ContentSha256) throw new InvalidOperationException("The signature is over other content.");
        (Signature, SignatureAlgorithm, SignerSubject, SignerThumbprint, SignerCertificate, SignedAt) =
            (signature, algorithm, signerSubject, thumbprint, certificate, at);
    }

    /// <summary>Cancel (never delete): the number stays used. Only a valid receipt can be cancelled.</summary>
    public Result Cancel(string reason, DateTimeOffset now)
    {
        if (Status != ReceiptStatus.Valid) return Error.Conflict("receipt_not_valid", $"The receipt is {Status.ToString().ToLowerInvariant()}.");
        if (string.IsNullOrWhiteSpace(reason)) return Error.Validation("reason_required", "A reason is required.");
        (Status, CancelReason, CancelledAt) = (ReceiptStatus.Cancelled, reason.Trim(), now);
        return Result.Ok();
    }

    /// <summary>Marks this receipt replaced by <paramref name="replacement"/> (which took the next number).</summary>
    public Result ReplaceWith(Receipt replacement, string reason, DateTimeOffset now)
    {
        if (Status != ReceiptStatus.Valid) return Error.Conflict("receipt_not_valid", $"The receipt is {Status.ToString().ToLowerInvariant()}.");
        if (replacement.ReplacesId != Id) throw new ArgumentException("The replacement does not reference this receipt.");
        (Status, ReplacedById, CancelReason, CancelledAt) = (ReceiptStatus.Replaced, replacement.Id, reason.Trim(), now);
        return Result.Ok();
    }

    /// <summary>Issues the receipt of a just-paid order with the next number of its series for the year of issue.</summary>
    public static Result<Receipt> Issue(PaymentOrder order, PaymentAttempt? attempt, ReceiptSeries series,
        ReceiptCounter counter, string collector, Organisation organisation, string verifyToken, DateTimeOffset now,
        Receipt? replaces = null, ReceiptPayer? correctedPayer = null)
    {
        if (replaces is null && order.Status != OrderStatus.Paid)
            return Error.Conflict("order_not_paid", "A receipt is issued only for a paid order.");
        if (replaces is not null && replaces.OrderId != order.Id) throw new ArgumentException("The replaced receipt is for another order.");
        if (order.IsExempt)
            return Error.Conflict("nothing_collected", "An exempt order collects nothing and gets no receipt.");
        if (counter.Year != VietnamTime.YearOf(now))
            throw new ArgumentException("Counter is for another year than the date of issue.", nameof(counter));
        var number = counter.Next(series);
        if (!number.IsSuccess) return number.Error!;
        var receipt = new Receipt
        {
            Id = ReceiptId.New(),
            OrderId = order.Id,
            AttemptId = attempt?.Id,
            SeriesId = series.Id,
            TemplateSymbol = series.TemplateSymbol,
            Series = series.SeriesSymbolFor(counter.Year),
            Year = counter.Year,
            Number = number.Value,
            NumberWidth = series.NumberWidth,
            Amount = order.Amount,
            AgencyCode = order.AgencyCode,
            DossierCode = order.DossierCode,
            PayerName = correctedPayer?.Name ?? order.Payer.FullName,
            PayerIdNumber = correctedPayer?.IdNumber ?? order.Payer.IdNumber,
            PayerAddress = correctedPayer?.Address ?? order.Payer.Address,
            PaymentMethod = attempt is null ? "counter" : attempt.Method is { } m ? $"{attempt.Provider}:{m}" : attempt.Provider,
            ProviderReference = attempt?.ProviderReference,
            ProviderTransactionId = attempt?.ProviderTransactionId,
            Collector = collector,
            IssuedAt = now,
            Status = ReceiptStatus.Valid,
            VerifyToken = verifyToken,
            ReplacesId = replaces?.Id,
        };
        var content = new ReceiptContent(Title, receipt.TemplateSymbol, receipt.Series, receipt.DisplayNumber, organisation,
            new ReceiptPayer(receipt.PayerName, receipt.PayerAddress, receipt.PayerIdNumber),
            order.Lines.Where(l => !l.Amount.IsZero).OrderBy(l => l.LineNo)
                .Select((l, i) => new ReceiptLine(i + 1, l.Name, l.LegalBasis, l.Kind == Fees.FeeKind.Phi ? "Phí" : "Lệ phí", l.Quantity, l.Amount.Minor)).ToList(),
            receipt.Amount.Minor, receipt.Amount.Currency.Code, receipt.AmountInWords, receipt.PaymentMethod, receipt.ProviderReference,
            receipt.ProviderTransactionId, receipt.DossierCode, now.ToVietnam().ToString("yyyy-MM-dd'T'HH:mm:sszzz"), collector,
            replaces is null ? null : $"{replaces.TemplateSymbol} {replaces.Series} {replaces.DisplayNumber}");
        receipt.ContentJson = content.ToCanonicalJson();
        receipt.ContentSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(receipt.ContentJson)));
        return receipt;
    }

    /// <summary>The number as printed: zero-padded to the series' width (7 under Decree 123, 8 under Decree 254).</summary>
    public string DisplayNumber => Number.ToString(new string('0', NumberWidth));

    public int NumberWidth { get; private set; } = 7;

    public string AmountInWords => VietnameseAmountWords.ToWords(Amount.Minor);
}
