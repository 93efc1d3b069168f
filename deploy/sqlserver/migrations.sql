IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [Agencies] (
        [Code] nvarchar(50) NOT NULL,
        [Name] nvarchar(500) NOT NULL,
        [TaxCode] nvarchar(20) NOT NULL,
        [Address] nvarchar(500) NULL,
        CONSTRAINT [PK_Agencies] PRIMARY KEY ([Code])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [AspNetRoles] (
        [Id] nvarchar(500) NOT NULL,
        [Name] nvarchar(256) NULL,
        [NormalizedName] nvarchar(256) NULL,
        [ConcurrencyStamp] nvarchar(500) NULL,
        CONSTRAINT [PK_AspNetRoles] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [AspNetUsers] (
        [Id] nvarchar(500) NOT NULL,
        [FullName] nvarchar(500) NOT NULL,
        [AgencyCode] nvarchar(500) NOT NULL,
        [UserName] nvarchar(256) NULL,
        [NormalizedUserName] nvarchar(256) NULL,
        [Email] nvarchar(256) NULL,
        [NormalizedEmail] nvarchar(256) NULL,
        [EmailConfirmed] bit NOT NULL,
        [PasswordHash] nvarchar(500) NULL,
        [SecurityStamp] nvarchar(500) NULL,
        [ConcurrencyStamp] nvarchar(500) NULL,
        [PhoneNumber] nvarchar(500) NULL,
        [PhoneNumberConfirmed] bit NOT NULL,
        [TwoFactorEnabled] bit NOT NULL,
        [LockoutEnd] datetimeoffset NULL,
        [LockoutEnabled] bit NOT NULL,
        [AccessFailedCount] int NOT NULL,
        CONSTRAINT [PK_AspNetUsers] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [Audit] (
        [Id] uniqueidentifier NOT NULL,
        [At] datetimeoffset NOT NULL,
        [Actor] nvarchar(200) NOT NULL,
        [Action] nvarchar(100) NOT NULL,
        [EntityType] nvarchar(50) NOT NULL,
        [EntityId] nvarchar(64) NOT NULL,
        [AgencyCode] nvarchar(50) NOT NULL,
        [BeforeJson] nvarchar(max) NULL,
        [AfterJson] nvarchar(max) NULL,
        [Reason] nvarchar(500) NULL,
        CONSTRAINT [PK_Audit] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [DailyCloses] (
        [Id] uniqueidentifier NOT NULL,
        [AgencyCode] nvarchar(50) NOT NULL,
        [Desk] nvarchar(200) NOT NULL,
        [Day] date NOT NULL,
        [LinesJson] nvarchar(max) NOT NULL,
        [PaymentsJson] nvarchar(max) NOT NULL,
        [Explanation] nvarchar(1000) NOT NULL,
        [ClosedBy] nvarchar(200) NOT NULL,
        [ClosedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_DailyCloses] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [Fees] (
        [Code] nvarchar(50) NOT NULL,
        [Name] nvarchar(500) NOT NULL,
        [Kind] nvarchar(32) NOT NULL,
        [LegalBasis] nvarchar(500) NOT NULL,
        [AgencyCode] nvarchar(50) NOT NULL,
        [OnlineDiscountPercent] int NOT NULL,
        [DiscountFrom] date NULL,
        [DiscountUntil] date NULL,
        [AmountCurrency] nvarchar(3) NOT NULL,
        [Amount] bigint NOT NULL,
        CONSTRAINT [PK_Fees] PRIMARY KEY ([Code])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [IdempotencyRecords] (
        [ClientId] uniqueidentifier NOT NULL,
        [Key] nvarchar(255) NOT NULL,
        [RequestHash] nvarchar(64) NOT NULL,
        [StatusCode] int NOT NULL,
        [ResponseJson] nvarchar(max) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_IdempotencyRecords] PRIMARY KEY ([ClientId], [Key])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [LedgerTransactions] (
        [Id] uniqueidentifier NOT NULL,
        [Kind] nvarchar(32) NOT NULL,
        [OrderId] uniqueidentifier NULL,
        [Description] nvarchar(500) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [AgencyCode] nvarchar(50) NOT NULL,
        CONSTRAINT [PK_LedgerTransactions] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [Outbox] (
        [Id] uniqueidentifier NOT NULL,
        [Type] nvarchar(100) NOT NULL,
        [AggregateId] nvarchar(64) NOT NULL,
        [PayloadJson] nvarchar(max) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [DeliveredAt] datetimeoffset NULL,
        [DeliveryAttempts] int NOT NULL,
        [LeaseUntil] datetimeoffset NOT NULL,
        [LeaseOwner] nvarchar(100) NULL,
        CONSTRAINT [PK_Outbox] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [PaymentOrders] (
        [Id] uniqueidentifier NOT NULL,
        [ClientId] uniqueidentifier NOT NULL,
        [AgencyCode] nvarchar(50) NOT NULL,
        [DossierCode] nvarchar(50) NOT NULL,
        [ProcedureCode] nvarchar(50) NOT NULL,
        [Channel] nvarchar(32) NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [PayToken] nvarchar(64) NOT NULL,
        [ReturnUrl] nvarchar(2000) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ExpiresAt] datetimeoffset NOT NULL,
        [PaidAt] datetimeoffset NULL,
        [ClosedAt] datetimeoffset NULL,
        [RequiresRefundReview] bit NOT NULL,
        [Version] int NOT NULL,
        [AmountCurrency] nvarchar(3) NOT NULL,
        [Amount] bigint NOT NULL,
        [PayerAddress] nvarchar(500) NULL,
        [PayerEmail] nvarchar(254) NULL,
        [PayerName] nvarchar(200) NOT NULL,
        [PayerIdNumber] nvarchar(20) NOT NULL,
        [PayerPhone] nvarchar(20) NULL,
        [RefundedCurrency] nvarchar(3) NOT NULL,
        [Refunded] bigint NOT NULL,
        CONSTRAINT [PK_PaymentOrders] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [ReceiptSeries] (
        [Id] int NOT NULL IDENTITY,
        [AgencyCode] nvarchar(50) NOT NULL,
        [TemplateSymbol] nvarchar(20) NOT NULL,
        [SeriesLetters] nvarchar(10) NOT NULL,
        [MaxNumber] int NOT NULL,
        [Active] bit NOT NULL,
        CONSTRAINT [PK_ReceiptSeries] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [ReconciliationItems] (
        [Id] uniqueidentifier NOT NULL,
        [Source] nvarchar(20) NOT NULL,
        [BankTxnId] nvarchar(100) NOT NULL,
        [Account] nvarchar(30) NOT NULL,
        [Content] nvarchar(500) NOT NULL,
        [BookedAt] datetimeoffset NOT NULL,
        [Kind] nvarchar(32) NOT NULL,
        [OrderId] uniqueidentifier NULL,
        [ExpectedAmount] bigint NULL,
        [Status] nvarchar(32) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [StatementImportId] uniqueidentifier NULL,
        [Held] bigint NOT NULL,
        [Shortfall] bigint NOT NULL,
        [Resolution] nvarchar(32) NULL,
        [ResolutionReason] nvarchar(500) NULL,
        [ResolvedBy] nvarchar(200) NULL,
        [ResolvedAt] datetimeoffset NULL,
        [WriteOffRequestedBy] nvarchar(200) NULL,
        [LinkedOrderId] uniqueidentifier NULL,
        [AmountCurrency] nvarchar(3) NOT NULL,
        [Amount] bigint NOT NULL,
        CONSTRAINT [PK_ReconciliationItems] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [StatementImports] (
        [Id] uniqueidentifier NOT NULL,
        [Sha256] nvarchar(64) NOT NULL,
        [FileName] nvarchar(200) NOT NULL,
        [Format] nvarchar(30) NOT NULL,
        [Provider] nvarchar(20) NOT NULL,
        [AgencyCode] nvarchar(50) NOT NULL,
        [ImportedBy] nvarchar(200) NOT NULL,
        [ImportedAt] datetimeoffset NOT NULL,
        [PeriodFrom] datetimeoffset NOT NULL,
        [PeriodTo] datetimeoffset NOT NULL,
        [Lines] int NOT NULL,
        [Matched] int NOT NULL,
        [AmountMismatch] int NOT NULL,
        [UnknownCredit] int NOT NULL,
        [MissingCredit] int NOT NULL,
        [Duplicate] int NOT NULL,
        [AlreadyImported] int NOT NULL,
        [Ignored] int NOT NULL,
        CONSTRAINT [PK_StatementImports] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [StatementLines] (
        [Id] bigint NOT NULL IDENTITY,
        [ImportId] uniqueidentifier NOT NULL,
        [Account] nvarchar(30) NOT NULL,
        [BankTxnId] nvarchar(100) NOT NULL,
        [BookedAt] datetimeoffset NOT NULL,
        [Amount] bigint NOT NULL,
        [Content] nvarchar(500) NOT NULL,
        [Outcome] int NOT NULL,
        [AttemptId] uniqueidentifier NULL,
        CONSTRAINT [PK_StatementLines] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [WebhookAttempts] (
        [Id] bigint NOT NULL IDENTITY,
        [DeliveryId] uniqueidentifier NOT NULL,
        [At] datetimeoffset NOT NULL,
        [StatusCode] int NULL,
        [Error] nvarchar(500) NULL,
        [DurationMs] int NOT NULL,
        [Node] nvarchar(100) NOT NULL,
        CONSTRAINT [PK_WebhookAttempts] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [WebhookDeliveries] (
        [Id] uniqueidentifier NOT NULL,
        [EventId] uniqueidentifier NOT NULL,
        [EventType] nvarchar(100) NOT NULL,
        [ApiClientId] uniqueidentifier NOT NULL,
        [AgencyCode] nvarchar(50) NOT NULL,
        [Url] nvarchar(500) NOT NULL,
        [PayloadJson] nvarchar(max) NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [Attempts] int NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [NextAttemptAt] datetimeoffset NOT NULL,
        [RetryUntil] datetimeoffset NOT NULL,
        [DeliveredAt] datetimeoffset NULL,
        [LastStatusCode] int NULL,
        [LastError] nvarchar(500) NULL,
        [LeaseUntil] datetimeoffset NOT NULL,
        [LeaseOwner] nvarchar(100) NULL,
        [Version] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_WebhookDeliveries] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [ApiClients] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(500) NOT NULL,
        [AgencyCode] nvarchar(50) NOT NULL,
        [KeyHash] nvarchar(64) NOT NULL,
        [KeyPrefix] nvarchar(12) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [RevokedAt] datetimeoffset NULL,
        [Scopes] nvarchar(100) NOT NULL,
        [WebhookUrl] nvarchar(500) NULL,
        [WebhookSecret] nvarchar(100) NULL,
        CONSTRAINT [PK_ApiClients] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ApiClients_Agencies_AgencyCode] FOREIGN KEY ([AgencyCode]) REFERENCES [Agencies] ([Code]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [AspNetRoleClaims] (
        [Id] int NOT NULL IDENTITY,
        [RoleId] nvarchar(500) NOT NULL,
        [ClaimType] nvarchar(500) NULL,
        [ClaimValue] nvarchar(500) NULL,
        CONSTRAINT [PK_AspNetRoleClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetRoleClaims_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserClaims] (
        [Id] int NOT NULL IDENTITY,
        [UserId] nvarchar(500) NOT NULL,
        [ClaimType] nvarchar(500) NULL,
        [ClaimValue] nvarchar(500) NULL,
        CONSTRAINT [PK_AspNetUserClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUserClaims_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserLogins] (
        [LoginProvider] nvarchar(500) NOT NULL,
        [ProviderKey] nvarchar(500) NOT NULL,
        [ProviderDisplayName] nvarchar(500) NULL,
        [UserId] nvarchar(500) NOT NULL,
        CONSTRAINT [PK_AspNetUserLogins] PRIMARY KEY ([LoginProvider], [ProviderKey]),
        CONSTRAINT [FK_AspNetUserLogins_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserRoles] (
        [UserId] nvarchar(500) NOT NULL,
        [RoleId] nvarchar(500) NOT NULL,
        CONSTRAINT [PK_AspNetUserRoles] PRIMARY KEY ([UserId], [RoleId]),
        CONSTRAINT [FK_AspNetUserRoles_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_AspNetUserRoles_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserTokens] (
        [UserId] nvarchar(500) NOT NULL,
        [LoginProvider] nvarchar(500) NOT NULL,
        [Name] nvarchar(500) NOT NULL,
        [Value] nvarchar(500) NULL,
        CONSTRAINT [PK_AspNetUserTokens] PRIMARY KEY ([UserId], [LoginProvider], [Name]),
        CONSTRAINT [FK_AspNetUserTokens_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [Postings] (
        [Id] bigint NOT NULL IDENTITY,
        [Account] nvarchar(100) NOT NULL,
        [TransactionId] uniqueidentifier NULL,
        [CreditCurrency] nvarchar(3) NOT NULL,
        [Credit] bigint NOT NULL,
        [DebitCurrency] nvarchar(3) NOT NULL,
        [Debit] bigint NOT NULL,
        CONSTRAINT [PK_Postings] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Postings_LedgerTransactions_TransactionId] FOREIGN KEY ([TransactionId]) REFERENCES [LedgerTransactions] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [OrderLines] (
        [Id] bigint NOT NULL IDENTITY,
        [LineNo] int NOT NULL,
        [FeeCode] nvarchar(50) NOT NULL,
        [Name] nvarchar(500) NOT NULL,
        [Kind] nvarchar(32) NOT NULL,
        [LegalBasis] nvarchar(500) NOT NULL,
        [AgencyCode] nvarchar(50) NOT NULL,
        [Quantity] int NOT NULL,
        [OrderId] uniqueidentifier NULL,
        [AmountCurrency] nvarchar(3) NOT NULL,
        [Amount] bigint NOT NULL,
        [DiscountCurrency] nvarchar(3) NOT NULL,
        [Discount] bigint NOT NULL,
        [GrossCurrency] nvarchar(3) NOT NULL,
        [Gross] bigint NOT NULL,
        [UnitCurrency] nvarchar(3) NOT NULL,
        [Unit] bigint NOT NULL,
        CONSTRAINT [PK_OrderLines] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_OrderLines_PaymentOrders_OrderId] FOREIGN KEY ([OrderId]) REFERENCES [PaymentOrders] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [PaymentAttempts] (
        [Id] uniqueidentifier NOT NULL,
        [OrderId] uniqueidentifier NOT NULL,
        [Provider] nvarchar(20) NOT NULL,
        [ProviderReference] nvarchar(64) NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [ProviderTransactionId] nvarchar(100) NULL,
        [FailureCode] nvarchar(50) NULL,
        [ProviderIntentId] nvarchar(100) NULL,
        [Method] nvarchar(20) NULL,
        [RecordedBy] nvarchar(200) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ExpiresAt] datetimeoffset NOT NULL,
        [CompletedAt] datetimeoffset NULL,
        [AmountCurrency] nvarchar(3) NOT NULL,
        [Amount] bigint NOT NULL,
        CONSTRAINT [PK_PaymentAttempts] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PaymentAttempts_PaymentOrders_OrderId] FOREIGN KEY ([OrderId]) REFERENCES [PaymentOrders] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [Refunds] (
        [Id] uniqueidentifier NOT NULL,
        [OrderId] uniqueidentifier NOT NULL,
        [AttemptId] uniqueidentifier NULL,
        [Provider] nvarchar(20) NOT NULL,
        [Reason] nvarchar(500) NOT NULL,
        [RequestId] nvarchar(64) NOT NULL,
        [RequestedBy] nvarchar(500) NOT NULL,
        [ProviderRefundId] nvarchar(100) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [AmountCurrency] nvarchar(3) NOT NULL,
        [Amount] bigint NOT NULL,
        CONSTRAINT [PK_Refunds] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Refunds_PaymentOrders_OrderId] FOREIGN KEY ([OrderId]) REFERENCES [PaymentOrders] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [ReceiptCounters] (
        [SeriesId] int NOT NULL,
        [Year] int NOT NULL,
        [LastNumber] int NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_ReceiptCounters] PRIMARY KEY ([SeriesId], [Year]),
        CONSTRAINT [FK_ReceiptCounters_ReceiptSeries_SeriesId] FOREIGN KEY ([SeriesId]) REFERENCES [ReceiptSeries] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE TABLE [Receipts] (
        [Id] uniqueidentifier NOT NULL,
        [OrderId] uniqueidentifier NOT NULL,
        [AttemptId] uniqueidentifier NULL,
        [SeriesId] int NOT NULL,
        [TemplateSymbol] nvarchar(20) NOT NULL,
        [Series] nvarchar(20) NOT NULL,
        [Year] int NOT NULL,
        [Number] int NOT NULL,
        [AgencyCode] nvarchar(500) NOT NULL,
        [DossierCode] nvarchar(500) NOT NULL,
        [PayerName] nvarchar(200) NOT NULL,
        [PayerIdNumber] nvarchar(20) NULL,
        [PayerAddress] nvarchar(500) NULL,
        [PaymentMethod] nvarchar(500) NOT NULL,
        [ProviderReference] nvarchar(500) NULL,
        [ProviderTransactionId] nvarchar(500) NULL,
        [Collector] nvarchar(500) NOT NULL,
        [IssuedAt] datetimeoffset NOT NULL,
        [Status] nvarchar(32) NOT NULL,
        [VerifyToken] nvarchar(64) NOT NULL,
        [ContentJson] nvarchar(max) NOT NULL,
        [ContentSha256] nvarchar(64) NOT NULL,
        [Signature] nvarchar(max) NULL,
        [SignatureAlgorithm] nvarchar(10) NULL,
        [SignerSubject] nvarchar(500) NULL,
        [SignerThumbprint] nvarchar(64) NULL,
        [SignerCertificate] nvarchar(max) NULL,
        [SignedAt] datetimeoffset NULL,
        [ReplacesId] uniqueidentifier NULL,
        [ReplacedById] uniqueidentifier NULL,
        [CancelReason] nvarchar(500) NULL,
        [CancelledAt] datetimeoffset NULL,
        [NumberWidth] int NOT NULL,
        [AmountCurrency] nvarchar(3) NOT NULL,
        [Amount] bigint NOT NULL,
        CONSTRAINT [PK_Receipts] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Receipts_ReceiptSeries_SeriesId] FOREIGN KEY ([SeriesId]) REFERENCES [ReceiptSeries] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_ApiClients_AgencyCode] ON [ApiClients] ([AgencyCode]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ApiClients_KeyHash] ON [ApiClients] ([KeyHash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetRoleClaims_RoleId] ON [AspNetRoleClaims] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [RoleNameIndex] ON [AspNetRoles] ([NormalizedName]) WHERE [NormalizedName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserClaims_UserId] ON [AspNetUserClaims] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserLogins_UserId] ON [AspNetUserLogins] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserRoles_RoleId] ON [AspNetUserRoles] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [EmailIndex] ON [AspNetUsers] ([NormalizedEmail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UserNameIndex] ON [AspNetUsers] ([NormalizedUserName]) WHERE [NormalizedUserName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_Audit_AgencyCode_At] ON [Audit] ([AgencyCode], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_Audit_At] ON [Audit] ([At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_Audit_EntityType_EntityId] ON [Audit] ([EntityType], [EntityId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_DailyCloses_AgencyCode_Desk_Day] ON [DailyCloses] ([AgencyCode], [Desk], [Day]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_Fees_AgencyCode] ON [Fees] ([AgencyCode]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_LedgerTransactions_AgencyCode_CreatedAt] ON [LedgerTransactions] ([AgencyCode], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UX_Ledger_OnePaymentPerOrder] ON [LedgerTransactions] ([OrderId]) WHERE "Kind" = ''Payment''');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_OrderLines_OrderId] ON [OrderLines] ([OrderId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_Outbox_DeliveredAt] ON [Outbox] ([DeliveredAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_PaymentAttempts_OrderId] ON [PaymentAttempts] ([OrderId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_PaymentAttempts_Provider_ProviderReference] ON [PaymentAttempts] ([Provider], [ProviderReference]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_PaymentAttempts_Provider_ProviderTransactionId] ON [PaymentAttempts] ([Provider], [ProviderTransactionId]) WHERE [ProviderTransactionId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_PaymentAttempts_Status_ExpiresAt] ON [PaymentAttempts] ([Status], [ExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_PaymentOrders_AgencyCode_DossierCode] ON [PaymentOrders] ([AgencyCode], [DossierCode]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_PaymentOrders_PayToken] ON [PaymentOrders] ([PayToken]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_PaymentOrders_Status_ExpiresAt] ON [PaymentOrders] ([Status], [ExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_Postings_Account] ON [Postings] ([Account]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_Postings_TransactionId] ON [Postings] ([TransactionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Receipts_SeriesId_Year_Number] ON [Receipts] ([SeriesId], [Year], [Number]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Receipts_VerifyToken] ON [Receipts] ([VerifyToken]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UX_Receipts_OneValidPerOrder] ON [Receipts] ([OrderId]) WHERE "Status" = ''Valid''');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ReceiptSeries_TemplateSymbol_SeriesLetters] ON [ReceiptSeries] ([TemplateSymbol], [SeriesLetters]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ReconciliationItems_Source_BankTxnId] ON [ReconciliationItems] ([Source], [BankTxnId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_ReconciliationItems_StatementImportId] ON [ReconciliationItems] ([StatementImportId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_ReconciliationItems_Status_CreatedAt] ON [ReconciliationItems] ([Status], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_Refunds_OrderId] ON [Refunds] ([OrderId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Refunds_RequestId] ON [Refunds] ([RequestId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_StatementImports_ImportedAt] ON [StatementImports] ([ImportedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_StatementImports_Sha256] ON [StatementImports] ([Sha256]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_StatementLines_Account_BankTxnId] ON [StatementLines] ([Account], [BankTxnId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_StatementLines_ImportId] ON [StatementLines] ([ImportId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_WebhookAttempts_DeliveryId] ON [WebhookAttempts] ([DeliveryId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_WebhookDeliveries_AgencyCode_CreatedAt] ON [WebhookDeliveries] ([AgencyCode], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_WebhookDeliveries_EventId_ApiClientId] ON [WebhookDeliveries] ([EventId], [ApiClientId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    CREATE INDEX [IX_WebhookDeliveries_Status_NextAttemptAt] ON [WebhookDeliveries] ([Status], [NextAttemptAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124011141_Initial'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261124011141_Initial', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124013413_Leases'
)
BEGIN
    CREATE TABLE [Leases] (
        [Name] nvarchar(50) NOT NULL,
        [Owner] nvarchar(100) NULL,
        [Until] datetimeoffset NOT NULL,
        CONSTRAINT [PK_Leases] PRIMARY KEY ([Name])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124013413_Leases'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261124013413_Leases', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124014401_DataProtectionKeys'
)
BEGIN
    CREATE TABLE [DataProtectionKeys] (
        [Id] int NOT NULL IDENTITY,
        [FriendlyName] nvarchar(200) NULL,
        [Xml] nvarchar(max) NULL,
        CONSTRAINT [PK_DataProtectionKeys] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124014401_DataProtectionKeys'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261124014401_DataProtectionKeys', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124123325_OrderLineKey'
)
BEGIN
    ALTER TABLE [OrderLines] DROP CONSTRAINT [PK_OrderLines];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124123325_OrderLineKey'
)
BEGIN
    DROP INDEX [IX_OrderLines_OrderId] ON [OrderLines];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124123325_OrderLineKey'
)
BEGIN
    DECLARE @var nvarchar(max);
    SELECT @var = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[OrderLines]') AND [c].[name] = N'Id');
    IF @var IS NOT NULL EXEC(N'ALTER TABLE [OrderLines] DROP CONSTRAINT ' + @var + ';');
    ALTER TABLE [OrderLines] DROP COLUMN [Id];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124123325_OrderLineKey'
)
BEGIN
    DECLARE @var1 nvarchar(max);
    SELECT @var1 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[OrderLines]') AND [c].[name] = N'OrderId');
    IF @var1 IS NOT NULL EXEC(N'ALTER TABLE [OrderLines] DROP CONSTRAINT ' + @var1 + ';');
    EXEC(N'UPDATE [OrderLines] SET [OrderId] = ''00000000-0000-0000-0000-000000000000'' WHERE [OrderId] IS NULL');
    ALTER TABLE [OrderLines] ALTER COLUMN [OrderId] uniqueidentifier NOT NULL;
    ALTER TABLE [OrderLines] ADD DEFAULT '00000000-0000-0000-0000-000000000000' FOR [OrderId];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124123325_OrderLineKey'
)
BEGIN
    ALTER TABLE [OrderLines] ADD CONSTRAINT [PK_OrderLines] PRIMARY KEY ([OrderId], [LineNo]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261124123325_OrderLineKey'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261124123325_OrderLineKey', N'10.0.15');
END;

COMMIT;
GO

