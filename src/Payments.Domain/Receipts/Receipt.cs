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

    /// <summary>Issues the receipt of a just-paid order with the next number of its series for the year of issue.</summary>
    public static Result<Receipt> Issue(PaymentOrder order, PaymentAttempt? attempt, ReceiptSeries series,
        ReceiptCounter counter, string collector, DateTimeOffset now)
    {
        if (order.Status != OrderStatus.Paid)
            return Error.Conflict("order_not_paid", "A receipt is issued only for a paid order.");
        if (order.IsExempt)
            return Error.Conflict("nothing_collected", "An exempt order collects nothing and gets no receipt.");
        if (counter.Year != VietnamTime.YearOf(now))
            throw new ArgumentException("Counter is for another year than the date of issue.", nameof(counter));
        var number = counter.Next(series);
        if (!number.IsSuccess) return number.Error!;
        return new Receipt
        {
            Id = ReceiptId.New(),
            OrderId = order.Id,
            AttemptId = attempt?.Id,
            SeriesId = series.Id,
            TemplateSymbol = series.TemplateSymbol,
            Series = series.SeriesSymbolFor(counter.Year),
            Year = counter.Year,
            Number = number.Value,
            Amount = order.Amount,
            AgencyCode = order.AgencyCode,
            DossierCode = order.DossierCode,
            PayerName = order.Payer.FullName,
            PayerIdNumber = order.Payer.IdNumber,
            PayerAddress = order.Payer.Address,
            PaymentMethod = attempt is null ? "counter" : attempt.Method is { } m ? $"{attempt.Provider}:{m}" : attempt.Provider,
            ProviderReference = attempt?.ProviderReference,
            ProviderTransactionId = attempt?.ProviderTransactionId,
            Collector = collector,
            IssuedAt = now,
            Status = ReceiptStatus.Valid,
        };
    }

    /// <summary>The number as printed: seven digits, zero-padded.</summary>
    public string DisplayNumber => Number.ToString("0000000");

    public string AmountInWords => VietnameseAmountWords.ToWords(Amount.Minor);
}
