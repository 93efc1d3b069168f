using FluentValidation;

namespace Payments.Api.Features.Callbacks;

public sealed class ApplyProviderNotificationValidator : AbstractValidator<ApplyProviderNotification>
{
    public ApplyProviderNotificationValidator()
    {
        RuleFor(c => c.Provider).NotEmpty();
        RuleFor(c => c.Notification.ProviderReference).NotEmpty();
    }
}
