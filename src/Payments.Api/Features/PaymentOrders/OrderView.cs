using Payments.Api.Infrastructure.Http;
using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Orders;
using Payments.Domain.Receipts;

namespace Payments.Api.Features.PaymentOrders;

public sealed record AmountView(long Value, string Currency)
{
    public static AmountView From(Money m) => new(m.Minor, m.Currency.Code);
}

public sealed record OrderLineView(string FeeCode, string Name, string Kind, string LegalBasis, int Quantity,
    AmountView UnitAmount, AmountView GrossAmount, AmountView Discount, AmountView Amount);

public sealed record ReceiptRef(Guid Id, string TemplateSymbol, string Series, int Number);

/// <summary>The order as the integration contract shows it (DESIGN.md).</summary>
public sealed record OrderView(
    Guid Id,
    string Status,
    string AgencyCode,
    string DossierCode,
    string ProcedureCode,
    string Channel,
    AmountView Amount,
    IReadOnlyList<OrderLineView> Lines,
    string PaymentUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? PaidAt,
    bool RequiresRefundReview,
    ReceiptRef? Receipt)
{
    public static OrderView From(PaymentOrder o, Receipt? receipt, PublicUrls urls) => new(
        o.Id.Value,
        o.Status.ToSnakeCase(),
        o.AgencyCode,
        o.DossierCode,
        o.ProcedureCode,
        o.Channel == Domain.Fees.Channel.Online ? "online" : "counter",
        AmountView.From(o.Amount),
        o.Lines.OrderBy(l => l.LineNo).Select(l => new OrderLineView(l.FeeCode, l.Name, KindName(l.Kind), l.LegalBasis, l.Quantity,
            AmountView.From(l.UnitAmount), AmountView.From(l.GrossAmount), AmountView.From(l.Discount), AmountView.From(l.Amount))).ToList(),
        urls.PayPage(o.PayToken),
        o.CreatedAt.ToVietnam(),
        o.ExpiresAt.ToVietnam(),
        o.PaidAt?.ToVietnam(),
        o.RequiresRefundReview,
        receipt is null ? null : new ReceiptRef(receipt.Id.Value, receipt.TemplateSymbol, receipt.Series, receipt.Number));

    public static string KindName(FeeKind kind) => kind == FeeKind.Phi ? "phi" : "le_phi";
}
