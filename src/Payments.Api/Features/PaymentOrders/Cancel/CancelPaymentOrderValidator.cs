using FluentValidation;

namespace Payments.Api.Features.PaymentOrders.Cancel;

public sealed class CancelPaymentOrderValidator : AbstractValidator<CancelPaymentOrder>
{
    public CancelPaymentOrderValidator() =>
        RuleFor(c => c.Locator).Must(l => l.OrderId is not null && !string.IsNullOrEmpty(l.AgencyCode))
            .WithMessage("A portal cancels its own agency's order by id.");
}
