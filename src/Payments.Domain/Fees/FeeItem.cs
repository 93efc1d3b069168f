using Payments.Domain.Common;

namespace Payments.Domain.Fees;

/// <summary>Phí (a fee for a service) or lệ phí (a charge for a state act); numbered as the national platforms do.</summary>
public enum FeeKind
{
    Phi = 1,
    LePhi = 2,
}

/// <summary>How the dossier was submitted; provinces discount (or waive) fees for online submission.</summary>
public enum Channel
{
    Online,
    Counter,
}

/// <summary>One entry of the fee catalogue: what is collected, how much, under which legal text, by whom.</summary>
public sealed class FeeItem
{
    private FeeItem() { Code = Name = LegalBasis = AgencyCode = ""; }

    public FeeItem(string code, string name, FeeKind kind, Money amount, string legalBasis, string agencyCode,
        int onlineDiscountPercent = 0, DateOnly? discountFrom = null, DateOnly? discountUntil = null)
    {
        if (string.IsNullOrWhiteSpace(code)) throw new ArgumentException("A fee needs a code.", nameof(code));
        if (amount.IsNegative) throw new ArgumentException("A fee cannot be negative.", nameof(amount));
        if (onlineDiscountPercent is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(onlineDiscountPercent));
        Code = code;
        Name = name;
        Kind = kind;
        Amount = amount;
        LegalBasis = legalBasis;
        AgencyCode = agencyCode;
        OnlineDiscountPercent = onlineDiscountPercent;
        DiscountFrom = discountFrom;
        DiscountUntil = discountUntil;
    }

    public string Code { get; private set; }
    public string Name { get; private set; }
    public FeeKind Kind { get; private set; }
    public Money Amount { get; private set; }
    public string LegalBasis { get; private set; }
    public string AgencyCode { get; private set; }

    /// <summary>0–100; applies to online submissions on dates inside [DiscountFrom, DiscountUntil] (open ends allowed).</summary>
    public int OnlineDiscountPercent { get; private set; }
    public DateOnly? DiscountFrom { get; private set; }
    public DateOnly? DiscountUntil { get; private set; }

    /// <summary>A new amount, legal basis or online discount; orders already created keep the lines they were priced with.</summary>
    public void Revise(string name, Money amount, string legalBasis, int onlineDiscountPercent, DateOnly? discountFrom, DateOnly? discountUntil)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A fee needs a name.", nameof(name));
        if (amount.IsNegative || amount.Currency != Amount.Currency) throw new ArgumentException("Amount must be non-negative, same currency.", nameof(amount));
        if (onlineDiscountPercent is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(onlineDiscountPercent));
        if (discountFrom > discountUntil) throw new ArgumentException("The discount period ends before it starts.");
        (Name, Amount, LegalBasis, OnlineDiscountPercent, DiscountFrom, DiscountUntil) =
            (name.Trim(), amount, legalBasis.Trim(), onlineDiscountPercent, discountFrom, discountUntil);
    }

    public int DiscountPercentFor(Channel channel, DateOnly onDate) =>
        channel == Channel.Online
        && (DiscountFrom is null || onDate >= DiscountFrom)
        && (DiscountUntil is null || onDate <= DiscountUntil)
            ? OnlineDiscountPercent
            : 0;

    /// <summary>Prices this fee for a dossier: gross = amount × quantity, discount rounded half up, net = gross − discount.</summary>
    public Result<FeeLine> Quote(int quantity, Channel channel, DateOnly onDate)
    {
        if (quantity is < 1 or > 1000)
            return Error.Validation("invalid_quantity", $"Quantity for fee '{Code}' must be between 1 and 1000.");
        var gross = Amount * quantity;
        var discount = gross.Percent(DiscountPercentFor(channel, onDate));
        return new FeeLine(Code, Name, Kind, LegalBasis, AgencyCode, quantity, Amount, gross, discount, gross - discount);
    }
}

/// <summary>A priced fee on a payment order: a snapshot, so later catalogue changes never alter an issued order.</summary>
public sealed record FeeLine(
    string FeeCode,
    string Name,
    FeeKind Kind,
    string LegalBasis,
    string AgencyCode,
    int Quantity,
    Money UnitAmount,
    Money GrossAmount,
    Money Discount,
    Money Amount);
