using FluentValidation;

namespace Payments.Api.Features.Attempts;

public sealed class StartPaymentAttemptValidator : AbstractValidator<StartPaymentAttempt>
{
    public StartPaymentAttemptValidator()
    {
        RuleFor(c => c.Provider).NotEmpty().WithErrorCode("provider_required").WithMessage("Say which provider: {\"provider\":\"sandbox\"}.")
            .MaximumLength(20);
        RuleFor(c => c.Locator).Must(l => l.OrderId is not null || !string.IsNullOrEmpty(l.PayToken));
        RuleFor(c => c.Locale).Must(l => l is "vn" or "en");
    }
}
