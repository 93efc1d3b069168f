using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Features.PaymentOrders;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Features.Fees;

public sealed record FeeView(string Code, string Name, string Kind, AmountView Amount, string AgencyCode, string LegalBasis,
    int OnlineDiscountPercent, DateOnly? DiscountFrom, DateOnly? DiscountUntil);

public sealed record FeeList(IReadOnlyList<FeeView> Items);

public sealed record ListFees(string? AgencyCode) : IQuery<FeeList>;

public sealed class ListFeesHandler(PaymentsDbContext db) : IQueryHandler<ListFees, FeeList>
{
    public async ValueTask<FeeList> Handle(ListFees query, CancellationToken ct)
    {
        var q = db.Fees.AsNoTracking();
        if (!string.IsNullOrEmpty(query.AgencyCode)) q = q.Where(f => f.AgencyCode == query.AgencyCode);
        var fees = await q.OrderBy(f => f.Code).ToListAsync(ct);
        return new FeeList(fees.Select(f => new FeeView(f.Code, f.Name, OrderView.KindName(f.Kind), AmountView.From(f.Amount),
            f.AgencyCode, f.LegalBasis, f.OnlineDiscountPercent, f.DiscountFrom, f.DiscountUntil)).ToList());
    }
}

internal static class ListFeesEndpoint
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/fees", async (string? agencyCode, ISender sender, CancellationToken ct) => Results.Ok(await sender.Send(new ListFees(agencyCode), ct)))
            .WithName("ListFees").WithSummary("The fee catalogue").Produces<FeeList>();
}
