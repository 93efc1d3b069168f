using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Domain.Fees;

namespace Payments.Api.Infrastructure.Persistence;

internal sealed class FeeItemConfiguration : IEntityTypeConfiguration<FeeItem>
{
    public void Configure(EntityTypeBuilder<FeeItem> b)
    {
        b.ToTable("Fees");
        b.HasKey(f => f.Code);
        b.Property(f => f.Code).HasMaxLength(50);
        b.Property(f => f.AgencyCode).HasMaxLength(50);
        b.MapMoney(f => f.Amount, "Amount");
        b.HasIndex(f => f.AgencyCode);
    }
}

internal sealed class AgencyConfiguration : IEntityTypeConfiguration<Agency>
{
    public void Configure(EntityTypeBuilder<Agency> b)
    {
        b.ToTable("Agencies");
        b.HasKey(a => a.Code);
        b.Property(a => a.Code).HasMaxLength(50);
        b.Property(a => a.TaxCode).HasMaxLength(20);
    }
}

internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> b)
    {
        b.ToTable("ApiClients");
        b.HasKey(c => c.Id);
        b.Property(c => c.KeyHash).HasMaxLength(64);
        b.Property(c => c.KeyPrefix).HasMaxLength(12);
        b.Property(c => c.AgencyCode).HasMaxLength(50);
        b.Property(c => c.Scopes).HasMaxLength(100);
        b.Property(c => c.WebhookUrl).HasMaxLength(500);
        b.Property(c => c.WebhookSecret).HasMaxLength(100);
        b.HasIndex(c => c.KeyHash).IsUnique();
        b.HasOne<Agency>().WithMany().HasForeignKey(c => c.AgencyCode).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("IdempotencyRecords");
        // The primary key is the unique index that makes a key usable once per client.
        b.HasKey(r => new { r.ClientId, r.Key });
        b.Property(r => r.Key).HasMaxLength(255);
        b.Property(r => r.RequestHash).HasMaxLength(64);
        b.Property(r => r.ResponseJson).Metadata.SetMaxLength(null); // unbounded: a stored response
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("Outbox");
        b.HasKey(m => m.Id);
        b.Property(m => m.Type).HasMaxLength(100);
        b.Property(m => m.AggregateId).HasMaxLength(64);
        b.Property(m => m.PayloadJson).Metadata.SetMaxLength(null);
        b.Property(m => m.LeaseOwner).HasMaxLength(100);
        b.HasIndex(m => m.DeliveredAt);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("Audit");
        b.HasKey(a => a.Id);
        b.Property(a => a.Actor).HasMaxLength(200);
        b.Property(a => a.Action).HasMaxLength(100);
        b.Property(a => a.EntityType).HasMaxLength(50);
        b.Property(a => a.EntityId).HasMaxLength(64);
        b.Property(a => a.AgencyCode).HasMaxLength(50);
        b.HasIndex(a => new { a.AgencyCode, a.At });
        b.Property(a => a.BeforeJson).Metadata.SetMaxLength(null);
        b.Property(a => a.AfterJson).Metadata.SetMaxLength(null);
        b.HasIndex(a => new { a.EntityType, a.EntityId });
        b.HasIndex(a => a.At);
    }
}

internal sealed class StatementImportConfiguration : IEntityTypeConfiguration<StatementImport>
{
    public void Configure(EntityTypeBuilder<StatementImport> b)
    {
        b.ToTable("StatementImports");
        b.HasKey(i => i.Id);
        b.Property(i => i.Sha256).HasMaxLength(64);
        b.HasIndex(i => i.Sha256).IsUnique();
        b.Property(i => i.FileName).HasMaxLength(200);
        b.Property(i => i.Format).HasMaxLength(30);
        b.Property(i => i.Provider).HasMaxLength(20);
        b.Property(i => i.AgencyCode).HasMaxLength(50);
        b.Property(i => i.ImportedBy).HasMaxLength(200);
        b.HasIndex(i => i.ImportedAt);
    }
}

internal sealed class StatementLineConfiguration : IEntityTypeConfiguration<StatementLineRecord>
{
    public void Configure(EntityTypeBuilder<StatementLineRecord> b)
    {
        b.ToTable("StatementLines");
        b.HasKey(l => l.Id);
        b.Property(l => l.Id).ValueGeneratedOnAdd();
        b.Property(l => l.Account).HasMaxLength(30);
        b.Property(l => l.BankTxnId).HasMaxLength(100);
        b.Property(l => l.Content).HasMaxLength(500);
        // A bank transaction is imported once, whichever (overlapping) statement brings it.
        b.HasIndex(l => new { l.Account, l.BankTxnId }).IsUnique();
        b.HasIndex(l => l.ImportId);
    }
}

internal sealed class DailyCloseConfiguration : IEntityTypeConfiguration<Domain.Reconciliation.DailyClose>
{
    public void Configure(EntityTypeBuilder<Domain.Reconciliation.DailyClose> b)
    {
        b.ToTable("DailyCloses");
        b.HasKey(c => c.Id);
        b.Property(c => c.AgencyCode).HasMaxLength(50);
        b.Property(c => c.Desk).HasMaxLength(200);
        b.Property(c => c.ClosedBy).HasMaxLength(200);
        b.Property(c => c.Explanation).HasMaxLength(1000);
        b.Property(c => c.Lines).AsJson("LinesJson");
        b.Property(c => c.Payments).AsJson("PaymentsJson");
        b.Ignore(c => c.Expected);
        b.Ignore(c => c.Counted);
        b.Ignore(c => c.Balanced);
        // One close per desk per day: closing twice is refused by the store, whatever races.
        b.HasIndex(c => new { c.AgencyCode, c.Desk, c.Day }).IsUnique();
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("WebhookDeliveries");
        b.HasKey(d => d.Id);
        b.Property(d => d.EventType).HasMaxLength(100);
        b.Property(d => d.AgencyCode).HasMaxLength(50);
        b.Property(d => d.Url).HasMaxLength(500);
        b.Property(d => d.PayloadJson).Metadata.SetMaxLength(null);
        b.Property(d => d.LastError).HasMaxLength(500);
        b.Property(d => d.LeaseOwner).HasMaxLength(100);
        b.Property(d => d.Version).IsConcurrencyToken();
        // One delivery of an event per portal, whatever the dispatcher retries.
        b.HasIndex(d => new { d.EventId, d.ApiClientId }).IsUnique();
        b.HasIndex(d => new { d.Status, d.NextAttemptAt });
        b.HasIndex(d => new { d.AgencyCode, d.CreatedAt });
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> b)
    {
        b.ToTable("WebhookAttempts");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedOnAdd();
        b.Property(a => a.Error).HasMaxLength(500);
        b.Property(a => a.Node).HasMaxLength(100);
        b.HasIndex(a => a.DeliveryId);
    }
}

internal sealed class LeaseConfiguration : IEntityTypeConfiguration<Lease>
{
    public void Configure(EntityTypeBuilder<Lease> b)
    {
        b.ToTable("Leases");
        b.HasKey(l => l.Name);
        b.Property(l => l.Name).HasMaxLength(50);
        b.Property(l => l.Owner).HasMaxLength(100);
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> b)
    {
        b.Property(k => k.FriendlyName).HasMaxLength(200);
        b.Property(k => k.Xml).Metadata.SetMaxLength(null); // a key's XML is a few KB
    }
}

internal static class JsonColumns
{
    /// <summary>A list of records kept whole as JSON text in one column (it is read and written only with its owner).</summary>
    public static PropertyBuilder<IReadOnlyList<T>> AsJson<T>(this PropertyBuilder<IReadOnlyList<T>> property, string column) => property
        .HasConversion(
            v => System.Text.Json.JsonSerializer.Serialize(v, System.Text.Json.JsonSerializerOptions.Web),
            v => System.Text.Json.JsonSerializer.Deserialize<List<T>>(v, System.Text.Json.JsonSerializerOptions.Web) ?? new List<T>(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<IReadOnlyList<T>>((a, c) => a!.SequenceEqual(c!), v => v.Count, v => v.ToList()))
        .HasColumnName(column);
}
