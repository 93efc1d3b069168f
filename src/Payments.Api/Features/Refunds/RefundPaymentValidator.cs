using FluentValidation;
using Payments.Api.Infrastructure.Pipeline;

namespace Payments.Api.Features.Refunds;

public sealed class RefundPaymentValidator : AbstractValidator<RefundPayment>
{
    public RefundPaymentValidator()
    {
        RuleFor(c => c.IdempotencyKey).IsIdempotencyKey();
        RuleFor(c => c.Body.Amount).GreaterThan(0).WithErrorCode("invalid_refund_amount").LessThanOrEqualTo(999_999_999_999);
        RuleFor(c => c.Body.Reason).NotEmpty().WithErrorCode("reason_required").MaximumLength(500);
        RuleFor(c => c.Body.ExpectedRefundable).GreaterThanOrEqualTo(0).When(c => c.Body.ExpectedRefundable is not null);
    }
}
