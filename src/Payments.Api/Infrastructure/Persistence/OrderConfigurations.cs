using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Domain.Common;
using Payments.Domain.Orders;

namespace Payments.Api.Infrastructure.Persistence;

internal sealed class PaymentOrderConfiguration : IEntityTypeConfiguration<PaymentOrder>
{
    public void Configure(EntityTypeBuilder<PaymentOrder> b)
    {
        b.ToTable("PaymentOrders");
        b.HasKey(o => o.Id);
        b.Property(o => o.AgencyCode).HasMaxLength(50);
        b.Property(o => o.DossierCode).HasMaxLength(50);
        b.Property(o => o.ProcedureCode).HasMaxLength(50);
        b.Property(o => o.PayToken).HasMaxLength(64);
        b.Property(o => o.ReturnUrl).HasMaxLength(2000);
        b.Property(o => o.Version).IsConcurrencyToken();
        b.MapMoney(o => o.Amount, "Amount");
        b.MapMoney(o => o.RefundedAmount, "Refunded");
        b.ComplexProperty(o => o.Payer, p =>
        {
            p.Property(x => x.FullName).HasColumnName("PayerName").HasMaxLength(200);
            p.Property(x => x.IdNumber).HasColumnName("PayerIdNumber").HasMaxLength(20);
            p.Property(x => x.Phone).HasColumnName("PayerPhone").HasMaxLength(20);
            p.Property(x => x.Email).HasColumnName("PayerEmail").HasMaxLength(254);
            p.Property(x => x.Address).HasColumnName("PayerAddress").HasMaxLength(500);
        });
        b.HasIndex(o => o.PayToken).IsUnique();
        b.HasIndex(o => new { o.AgencyCode, o.DossierCode });
        b.HasIndex(o => new { o.Status, o.ExpiresAt });
        b.HasMany(o => o.Lines).WithOne().HasForeignKey("OrderId").IsRequired().OnDelete(DeleteBehavior.Restrict);
        b.Navigation(o => o.Lines).HasField("_lines");
        b.HasMany(o => o.Attempts).WithOne().HasForeignKey(a => a.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(o => o.Attempts).HasField("_attempts");
    }
}

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> b)
    {
        b.ToTable("OrderLines");
        // A line is line n of its order: the key is (order, line number), and on SQLite the rows are kept in that key's
        // order (WITHOUT ROWID) — no separate rowid, order index or AUTOINCREMENT counter to write with every order (ADR-0026).
        b.Property<PaymentOrderId>("OrderId");
        b.HasKey("OrderId", nameof(OrderLine.LineNo));
        b.HasAnnotation(SqliteTables.WithoutRowId, true);
        b.Property(l => l.FeeCode).HasMaxLength(50);
        b.Property(l => l.AgencyCode).HasMaxLength(50);
        b.MapMoney(l => l.UnitAmount, "Unit");
        b.MapMoney(l => l.GrossAmount, "Gross");
        b.MapMoney(l => l.Discount, "Discount");
        b.MapMoney(l => l.Amount, "Amount");
    }
}

internal sealed class PaymentAttemptConfiguration : IEntityTypeConfiguration<PaymentAttempt>
{
    public void Configure(EntityTypeBuilder<PaymentAttempt> b)
    {
        b.ToTable("PaymentAttempts");
        b.HasKey(a => a.Id);
        b.Property(a => a.Provider).HasMaxLength(20);
        b.Property(a => a.ProviderReference).HasMaxLength(64);
        b.Property(a => a.ProviderTransactionId).HasMaxLength(100);
        b.Property(a => a.FailureCode).HasMaxLength(50);
        b.Property(a => a.Method).HasMaxLength(20);
        b.Property(a => a.ProviderIntentId).HasMaxLength(100);
        b.Property(a => a.RecordedBy).HasMaxLength(200);
        b.MapMoney(a => a.Amount, "Amount");
        b.HasIndex(a => new { a.Provider, a.ProviderReference }).IsUnique();
        b.HasIndex(a => new { a.Status, a.ExpiresAt }); // the janitor's sweep
        // Exactly-once per provider transaction: a second success with the same wallet transaction cannot commit.
        b.HasIndex(a => new { a.Provider, a.ProviderTransactionId }).IsUnique();
    }
}

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> b)
    {
        b.ToTable("Refunds");
        b.HasKey(r => r.Id);
        b.Property(r => r.Provider).HasMaxLength(20);
        b.Property(r => r.RequestId).HasMaxLength(64);
        b.Property(r => r.ProviderRefundId).HasMaxLength(100);
        b.MapMoney(r => r.Amount, "Amount");
        b.HasIndex(r => r.OrderId);
        b.HasIndex(r => r.RequestId).IsUnique();
        b.HasOne<PaymentOrder>().WithMany().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Restrict);
    }
}
