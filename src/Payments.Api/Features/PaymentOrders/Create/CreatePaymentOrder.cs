using Mediator;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Http;
using Payments.Api.Infrastructure.Persistence;
using Payments.Api.Infrastructure.Pipeline;
using Payments.Domain.Common;
using Payments.Domain.Fees;
using Payments.Domain.Orders;

namespace Payments.Api.Features.PaymentOrders.Create;

public sealed record PayerBody(string? FullName, string? IdNumber, string? Phone, string? Email, string? Address);

public sealed record FeeRequest(string? FeeCode, int Quantity);

/// <summary>The JSON body of POST /api/v1/payment-orders. Everything nullable: absence is a validation error, not a crash.</summary>
public sealed record CreatePaymentOrderBody(string? DossierCode, string? ProcedureCode, string? AgencyCode, PayerBody? Payer,
    IReadOnlyList<FeeRequest>? Fees, string? Channel, string? ReturnUrl);

public sealed record CreatePaymentOrder(CallingClient Client, string IdempotencyKey, CreatePaymentOrderBody Body)
    : ICommand<Result<CreatedOrder>>, IUnlockedCommand;

/// <param name="Json">The order as stored with the Idempotency-Key, which is what the response sends (serialized once).</param>
public sealed record CreatedOrder(OrderView Order, bool Replayed, string Json);

public sealed class CreatePaymentOrderHandler(PaymentsDbContext db, IdempotencyStore idempotency, PublicUrls urls, TimeProvider clock,
    IConfiguration config, Infrastructure.Telemetry.PaymentsMetrics metrics, ReadCache cache)
    : ICommandHandler<CreatePaymentOrder, Result<CreatedOrder>>
{
    public async ValueTask<Result<CreatedOrder>> Handle(CreatePaymentOrder cmd, CancellationToken ct)
    {
        var hash = IdempotencyStore.Hash("create-order", cmd.Body);
        // On a first run the key is not looked up: if it was used before, the record's insert is refused and the command
        // runs again, looking it up then (ADR-0033). A create refused before its insert looks it up before it answers.
        var lookUp = idempotency.LookUpFirst;
        if (lookUp && await ReplayAsync(cmd, hash, ct) is { } replay) return replay;
        var created = await CreateAsync(cmd, hash, ct);
        if (!created.IsSuccess && !lookUp && await ReplayAsync(cmd, hash, ct) is { } earlier) return earlier;
        return created;
    }

    /// <summary>The response stored for the command's key (or 422 for a key used with another request), or null when new.</summary>
    private async Task<Result<CreatedOrder>?> ReplayAsync(CreatePaymentOrder cmd, string hash, CancellationToken ct) =>
        await idempotency.ReplayStoredAsync<OrderView>(cmd.Client.Id, cmd.IdempotencyKey, hash, ct) is { } replay
            ? replay.IsSuccess ? new CreatedOrder(replay.Value.Value, Replayed: true, replay.Value.Json) : replay.Error!
            : null;

    private async Task<Result<CreatedOrder>> CreateAsync(CreatePaymentOrder cmd, string hash, CancellationToken ct)
    {
        var body = cmd.Body;
        if (!string.Equals(body.AgencyCode, cmd.Client.AgencyCode, StringComparison.Ordinal))
            return Error.Forbidden("agency_forbidden", "This API key creates orders for its own agency only.");

        var now = clock.GetUtcNow();
        var lines = await PriceAsync(body, now, ct);
        if (!lines.IsSuccess) return lines.Error!;

        var payer = new Payer(body.Payer!.FullName!.Trim(), body.Payer.IdNumber!, body.Payer.Phone, body.Payer.Email, body.Payer.Address);
        var order = PaymentOrder.Create(cmd.Client.Id, body.AgencyCode!, body.DossierCode!.Trim(), body.ProcedureCode!.Trim(), payer,
            ParseChannel(body.Channel), lines.Value, Tokens.NewSortableToken(now), body.ReturnUrl, now, OrderLifetime());
        if (!order.IsSuccess) return order.Error!;
        var view = OrderView.From(order.Value, null, urls);
        // The key's record goes in first: when the key was used before, its refusal leaves no order rows to take back.
        var json = idempotency.Remember(cmd.Client.Id, cmd.IdempotencyKey, hash, StatusCodes.Status201Created, view, now);
        db.Insert(order.Value);
        var channel = order.Value.Channel.ToString().ToLowerInvariant();
        db.AfterCommit(() => metrics.OrderCreated(channel));
        return new CreatedOrder(view, Replayed: false, json);
    }

    private async Task<Result<IReadOnlyList<FeeLine>>> PriceAsync(CreatePaymentOrderBody body, DateTimeOffset now, CancellationToken ct)
    {
        var codes = body.Fees!.Select(f => f.FeeCode!).ToList();
        var catalogue = await CatalogueAsync(ct);
        var unknown = codes.Where(c => !catalogue.ContainsKey(c)).ToList();
        if (unknown.Count > 0)
            return Error.Unprocessable("unknown_fee", $"Unknown fee code(s): {string.Join(", ", unknown)}.");
        var foreign = codes.Where(c => catalogue[c].AgencyCode != body.AgencyCode).ToList();
        if (foreign.Count > 0)
            return Error.Unprocessable("fee_not_for_agency", $"Fee(s) {string.Join(", ", foreign)} are not collected by agency {body.AgencyCode}.");

        var today = DateOnly.FromDateTime(now.ToVietnam().DateTime);
        var channel = ParseChannel(body.Channel);
        var lines = new List<FeeLine>();
        foreach (var f in body.Fees!)
        {
            var line = catalogue[f.FeeCode!].Quote(f.Quantity, channel, today);
            if (!line.IsSuccess) return line.Error!;
            lines.Add(line.Value);
        }
        return lines;
    }

    /// <summary>The whole fee catalogue (dozens of rows), cached until a fee changes (ADR-0022).</summary>
    private async Task<IReadOnlyDictionary<string, FeeItem>> CatalogueAsync(CancellationToken ct)
    {
        var key = cache.Grouped(ReadCache.Fees, "all");
        if (cache.TryGet<Dictionary<string, FeeItem>>(key, out var catalogue)) return catalogue;
        var generation = cache.Generation(ReadCache.Fees);
        catalogue = await db.Fees.AsNoTracking().ToDictionaryAsync(f => f.Code, StringComparer.Ordinal, ct);
        cache.Put(key, generation, catalogue, ReadCache.Fees);
        return catalogue;
    }

    internal static Channel ParseChannel(string? channel) => channel == "counter" ? Channel.Counter : Channel.Online;

    private TimeSpan OrderLifetime() => config.GetValue("Payments:Orders:Lifetime", TimeSpan.FromMinutes(90));
}
