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
            c.Property(x => x.Currency).HasColumnName(prefix + "Currency");
        });
}
