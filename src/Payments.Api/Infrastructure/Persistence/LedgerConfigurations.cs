using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Domain.Ledger;
using Payments.Domain.Receipts;

namespace Payments.Api.Infrastructure.Persistence;

internal sealed class LedgerTransactionConfiguration : IEntityTypeConfiguration<LedgerTransaction>
{
    public void Configure(EntityTypeBuilder<LedgerTransaction> b)
    {
        b.ToTable("LedgerTransactions");
        b.HasKey(t => t.Id);
        // One payment posting set per order, whatever races: the store refuses a second.
        b.HasIndex(t => t.OrderId).IsUnique().HasFilter("\"Kind\" = 'Payment'").HasDatabaseName("UX_Ledger_OnePaymentPerOrder");
        b.Property(t => t.AgencyCode).HasMaxLength(50);
        b.HasIndex(t => new { t.AgencyCode, t.CreatedAt });
        b.HasMany(t => t.Postings).WithOne().HasForeignKey("TransactionId").OnDelete(DeleteBehavior.Restrict);
        b.Navigation(t => t.Postings).HasField("_postings");
    }
}

internal sealed class PostingConfiguration : IEntityTypeConfiguration<Posting>
{
    public void Configure(EntityTypeBuilder<Posting> b)
    {
        b.ToTable("Postings");
        b.HasKey(p => p.Id);
        b.Property(p => p.Account).HasMaxLength(100);
        b.MapMoney(p => p.Debit, "Debit");
        b.MapMoney(p => p.Credit, "Credit");
        b.HasIndex(p => p.Account);
    }
}

internal sealed class ReceiptConfiguration : IEntityTypeConfiguration<Receipt>
{
    public void Configure(EntityTypeBuilder<Receipt> b)
    {
        b.ToTable("Receipts");
        b.HasKey(r => r.Id);
        b.MapMoney(r => r.Amount, "Amount");
        b.Property(r => r.TemplateSymbol).HasMaxLength(20);
        b.Property(r => r.Series).HasMaxLength(20);
        b.Property(r => r.PayerName).HasMaxLength(200);
        b.Property(r => r.PayerIdNumber).HasMaxLength(20);
        b.Ignore(r => r.DisplayNumber);
        b.Ignore(r => r.AmountInWords);
        b.Ignore(r => r.Content);
        b.Property(r => r.VerifyToken).HasMaxLength(64);
        b.HasIndex(r => r.VerifyToken).IsUnique();
        b.Property(r => r.ContentJson).Metadata.SetMaxLength(null);
        b.Property(r => r.ContentSha256).HasMaxLength(64);
        b.Property(r => r.Signature).Metadata.SetMaxLength(null);
        b.Property(r => r.SignerCertificate).Metadata.SetMaxLength(null);
        b.Property(r => r.SignatureAlgorithm).HasMaxLength(10);
        b.Property(r => r.SignerThumbprint).HasMaxLength(64);
        b.HasIndex(r => new { r.SeriesId, r.Year, r.Number }).IsUnique();
        b.HasIndex(r => r.OrderId).IsUnique().HasFilter("\"Status\" = 'Valid'").HasDatabaseName("UX_Receipts_OneValidPerOrder");
        b.HasOne<ReceiptSeries>().WithMany().HasForeignKey(r => r.SeriesId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReceiptSeriesConfiguration : IEntityTypeConfiguration<ReceiptSeries>
{
    public void Configure(EntityTypeBuilder<ReceiptSeries> b)
    {
        b.ToTable("ReceiptSeries");
        b.HasKey(s => s.Id);
        b.Property(s => s.AgencyCode).HasMaxLength(50);
        b.Property(s => s.TemplateSymbol).HasMaxLength(20);
        b.Property(s => s.SeriesLetters).HasMaxLength(10);
        b.HasIndex(s => new { s.TemplateSymbol, s.SeriesLetters }).IsUnique();
    }
}

internal sealed class ReceiptCounterConfiguration : IEntityTypeConfiguration<ReceiptCounter>
{
    public void Configure(EntityTypeBuilder<ReceiptCounter> b)
    {
        b.ToTable("ReceiptCounters");
        b.HasKey(c => new { c.SeriesId, c.Year });
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasOne<ReceiptSeries>().WithMany().HasForeignKey(c => c.SeriesId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReconciliationItemConfiguration : IEntityTypeConfiguration<Domain.Reconciliation.ReconciliationItem>
{
    public void Configure(EntityTypeBuilder<Domain.Reconciliation.ReconciliationItem> b)
    {
        b.ToTable("ReconciliationItems");
        b.HasKey(i => i.Id);
        b.Property(i => i.Source).HasMaxLength(20);
        b.Property(i => i.BankTxnId).HasMaxLength(100);
        b.Property(i => i.Account).HasMaxLength(30);
        b.MapMoney(i => i.Amount, "Amount");
        b.Property(i => i.ExpectedAmount).HasConversion(
            m => m.HasValue ? m.Value.Minor : (long?)null, v => v.HasValue ? Domain.Common.Money.Vnd(v.Value) : null).HasColumnName("ExpectedAmount");
        b.Property(i => i.Held).HasConversion(m => m.Minor, v => Domain.Common.Money.Vnd(v)).HasColumnName("Held");
        b.Property(i => i.Shortfall).HasConversion(m => m.Minor, v => Domain.Common.Money.Vnd(v)).HasColumnName("Shortfall");
        b.Property(i => i.ResolutionReason).HasMaxLength(500);
        b.Property(i => i.ResolvedBy).HasMaxLength(200);
        b.Property(i => i.WriteOffRequestedBy).HasMaxLength(200);
        b.HasIndex(i => i.StatementImportId);
        b.Ignore(i => i.Direction);
        // A bank transaction is held at most once, whatever the bank resends.
        b.HasIndex(i => new { i.Source, i.BankTxnId }).IsUnique();
        b.HasIndex(i => new { i.Status, i.CreatedAt });
    }
}
