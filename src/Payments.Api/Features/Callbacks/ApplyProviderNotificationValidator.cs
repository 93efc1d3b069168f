using FluentValidation;

namespace Payments.Api.Features.Callbacks;

public sealed class ApplyProviderNotificationValidator : AbstractValidator<ApplyProviderNotification>
{
    public ApplyProviderNotificationValidator()
    {
        RuleFor(c => c.Provider).NotEmpty();
        // A bank credit may carry no code at all: it is still money, held as an unknown credit.
        RuleFor(c => c.Notification.ProviderReference).NotEmpty().When(c => c.Notification.Credit is null);
        RuleFor(c => c.Notification.Amount).NotNull().When(c => c.Notification.Credit is not null).WithErrorCode("invalid_amount");
    }
}
