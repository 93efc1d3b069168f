using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Payments.Domain.Common;

namespace Payments.Api.Infrastructure.Persistence;

internal sealed class PaymentOrderIdConverter() : ValueConverter<PaymentOrderId, Guid>(v => v.Value, v => new PaymentOrderId(v));
internal sealed class PaymentAttemptIdConverter() : ValueConverter<PaymentAttemptId, Guid>(v => v.Value, v => new PaymentAttemptId(v));
internal sealed class ReceiptIdConverter() : ValueConverter<ReceiptId, Guid>(v => v.Value, v => new ReceiptId(v));
internal sealed class CurrencyConverter() : ValueConverter<Currency, string>(v => v.Code, v => Currency.Parse(v));

/// <summary>SQLite cannot compare or order DateTimeOffset text: store UTC ticks there (sortable, exact).</summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
