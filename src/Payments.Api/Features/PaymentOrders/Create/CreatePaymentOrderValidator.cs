using FluentValidation;
using Payments.Api.Infrastructure.Pipeline;
using Payments.Domain.Orders;

namespace Payments.Api.Features.PaymentOrders.Create;

public sealed class CreatePaymentOrderValidator : AbstractValidator<CreatePaymentOrder>
{
    public CreatePaymentOrderValidator()
    {
        RuleFor(c => c.IdempotencyKey).IsIdempotencyKey();
        RuleFor(c => c.Body.DossierCode).NotEmpty().MaximumLength(50);
        RuleFor(c => c.Body.ProcedureCode).NotEmpty().MaximumLength(50);
        RuleFor(c => c.Body.AgencyCode).NotEmpty().MaximumLength(50);
        RuleFor(c => c.Body.Channel).Must(ch => ch is "online" or "counter").WithErrorCode("invalid_channel")
            .WithMessage("Channel must be 'online' or 'counter'.");
        RuleFor(c => c.Body.ReturnUrl).MaximumLength(2000)
            .Must(u => u is null || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            .WithErrorCode("invalid_return_url").WithMessage("returnUrl must be an absolute http(s) URL.");
        RuleFor(c => c.Body.Payer).NotNull().WithErrorCode("payer_required");
        When(c => c.Body.Payer is not null, () =>
        {
            RuleFor(c => c.Body.Payer!.FullName).NotEmpty().MaximumLength(200);
            RuleFor(c => c.Body.Payer!.IdNumber).Must(Payer.IsValidCccd).WithErrorCode("invalid_id_number")
                .WithMessage("idNumber must be a citizen ID (CCCD) of exactly 12 digits.");
            RuleFor(c => c.Body.Payer!.Phone).Matches(@"^\+?[0-9]{9,15}$").When(c => c.Body.Payer!.Phone is not null)
                .WithErrorCode("invalid_phone");
            RuleFor(c => c.Body.Payer!.Email).EmailAddress().MaximumLength(254).When(c => c.Body.Payer!.Email is not null)
                .WithErrorCode("invalid_email");
            RuleFor(c => c.Body.Payer!.Address).MaximumLength(500);
        });
        RuleFor(c => c.Body.Fees).NotEmpty().WithErrorCode("fees_required").WithMessage("At least one fee is required.")
            .Must(f => f is null || f.Count <= 50).WithMessage("At most 50 fee lines.")
            .Must(f => f is null || f.Select(x => x.FeeCode).Distinct().Count() == f.Count)
            .WithErrorCode("duplicate_fee").WithMessage("Each fee code appears once; use quantity for more.");
        RuleForEach(c => c.Body.Fees).ChildRules(fee =>
        {
            fee.RuleFor(f => f.FeeCode).NotEmpty().MaximumLength(50);
            fee.RuleFor(f => f.Quantity).InclusiveBetween(1, 1000).WithErrorCode("invalid_quantity");
        });
    }
}
