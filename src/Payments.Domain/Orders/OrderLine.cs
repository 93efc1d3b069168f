using Payments.Domain.Common;
using Payments.Domain.Fees;

namespace Payments.Domain.Orders;

/// <summary>A fee line on an order, frozen at creation from the catalogue; identified by its order and <see cref="LineNo"/>.</summary>
public sealed class OrderLine
{
    private OrderLine() { FeeCode = Name = LegalBasis = AgencyCode = ""; }

    internal OrderLine(int lineNo, FeeLine fee)
    {
        LineNo = lineNo;
        FeeCode = fee.FeeCode;
        Name = fee.Name;
        Kind = fee.Kind;
        LegalBasis = fee.LegalBasis;
        AgencyCode = fee.AgencyCode;
        Quantity = fee.Quantity;
        UnitAmount = fee.UnitAmount;
        GrossAmount = fee.GrossAmount;
        Discount = fee.Discount;
        Amount = fee.Amount;
    }

    public int LineNo { get; private set; }
    public string FeeCode { get; private set; }
    public string Name { get; private set; }
    public FeeKind Kind { get; private set; }
    public string LegalBasis { get; private set; }
    public string AgencyCode { get; private set; }
    public int Quantity { get; private set; }
    public Money UnitAmount { get; private set; }
    public Money GrossAmount { get; private set; }
    public Money Discount { get; private set; }
    public Money Amount { get; private set; }
}
