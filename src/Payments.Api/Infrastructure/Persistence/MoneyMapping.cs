using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Domain.Common;

namespace Payments.Api.Infrastructure.Persistence;

internal static class MoneyMapping
{
    /// <summary>Money as two columns: {prefix} (whole minor units) and {prefix}Currency.</summary>
    public static void MapMoney<T>(this EntityTypeBuilder<T> b, Expression<Func<T, Money>> money, string prefix) where T : class =>
        b.ComplexProperty(money, c =>
        {
            c.Property(x => x.Minor).HasColumnName(prefix);
            // Nothing is store-generated here; an explicit sentinel lets the compiled model write it as provider text.
            c.Property(x => x.Currency).HasColumnName(prefix + "Currency").HasSentinel(Currency.Vnd);
        });
}
