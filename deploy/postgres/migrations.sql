CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" character varying(150) NOT NULL,
    "ProductVersion" character varying(32) NOT NULL,
    CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY ("MigrationId")
);

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "Agencies" (
        "Code" character varying(50) NOT NULL,
        "Name" character varying(500) NOT NULL,
        "TaxCode" character varying(20) NOT NULL,
        "Address" character varying(500),
        CONSTRAINT "PK_Agencies" PRIMARY KEY ("Code")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "AspNetRoles" (
        "Id" character varying(500) NOT NULL,
        "Name" character varying(256),
        "NormalizedName" character varying(256),
        "ConcurrencyStamp" character varying(500),
        CONSTRAINT "PK_AspNetRoles" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "AspNetUsers" (
        "Id" character varying(500) NOT NULL,
        "FullName" character varying(500) NOT NULL,
        "AgencyCode" character varying(500) NOT NULL,
        "UserName" character varying(256),
        "NormalizedUserName" character varying(256),
        "Email" character varying(256),
        "NormalizedEmail" character varying(256),
        "EmailConfirmed" boolean NOT NULL,
        "PasswordHash" character varying(500),
        "SecurityStamp" character varying(500),
        "ConcurrencyStamp" character varying(500),
        "PhoneNumber" character varying(500),
        "PhoneNumberConfirmed" boolean NOT NULL,
        "TwoFactorEnabled" boolean NOT NULL,
        "LockoutEnd" timestamp with time zone,
        "LockoutEnabled" boolean NOT NULL,
        "AccessFailedCount" integer NOT NULL,
        CONSTRAINT "PK_AspNetUsers" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "Audit" (
        "Id" uuid NOT NULL,
        "At" timestamp with time zone NOT NULL,
        "Actor" character varying(200) NOT NULL,
        "Action" character varying(100) NOT NULL,
        "EntityType" character varying(50) NOT NULL,
        "EntityId" character varying(64) NOT NULL,
        "AgencyCode" character varying(50) NOT NULL,
        "BeforeJson" text,
        "AfterJson" text,
        "Reason" character varying(500),
        CONSTRAINT "PK_Audit" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "DailyCloses" (
        "Id" uuid NOT NULL,
        "AgencyCode" character varying(50) NOT NULL,
        "Desk" character varying(200) NOT NULL,
        "Day" date NOT NULL,
        "LinesJson" text NOT NULL,
        "PaymentsJson" text NOT NULL,
        "Explanation" character varying(1000) NOT NULL,
        "ClosedBy" character varying(200) NOT NULL,
        "ClosedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_DailyCloses" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "Fees" (
        "Code" character varying(50) NOT NULL,
        "Name" character varying(500) NOT NULL,
        "Kind" character varying(32) NOT NULL,
        "LegalBasis" character varying(500) NOT NULL,
        "AgencyCode" character varying(50) NOT NULL,
        "OnlineDiscountPercent" integer NOT NULL,
        "DiscountFrom" date,
        "DiscountUntil" date,
        "AmountCurrency" character varying(3) NOT NULL,
        "Amount" bigint NOT NULL,
        CONSTRAINT "PK_Fees" PRIMARY KEY ("Code")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "IdempotencyRecords" (
        "ClientId" uuid NOT NULL,
        "Key" character varying(255) NOT NULL,
        "RequestHash" character varying(64) NOT NULL,
        "StatusCode" integer NOT NULL,
        "ResponseJson" text NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_IdempotencyRecords" PRIMARY KEY ("ClientId", "Key")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "LedgerTransactions" (
        "Id" uuid NOT NULL,
        "Kind" character varying(32) NOT NULL,
        "OrderId" uuid,
        "Description" character varying(500) NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "AgencyCode" character varying(50) NOT NULL,
        CONSTRAINT "PK_LedgerTransactions" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "Outbox" (
        "Id" uuid NOT NULL,
        "Type" character varying(100) NOT NULL,
        "AggregateId" character varying(64) NOT NULL,
        "PayloadJson" text NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "DeliveredAt" timestamp with time zone,
        "DeliveryAttempts" integer NOT NULL,
        "LeaseUntil" timestamp with time zone NOT NULL,
        "LeaseOwner" character varying(100),
        CONSTRAINT "PK_Outbox" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "PaymentOrders" (
        "Id" uuid NOT NULL,
        "ClientId" uuid NOT NULL,
        "AgencyCode" character varying(50) NOT NULL,
        "DossierCode" character varying(50) NOT NULL,
        "ProcedureCode" character varying(50) NOT NULL,
        "Channel" character varying(32) NOT NULL,
        "Status" character varying(32) NOT NULL,
        "PayToken" character varying(64) NOT NULL,
        "ReturnUrl" character varying(2000),
        "CreatedAt" timestamp with time zone NOT NULL,
        "ExpiresAt" timestamp with time zone NOT NULL,
        "PaidAt" timestamp with time zone,
        "ClosedAt" timestamp with time zone,
        "RequiresRefundReview" boolean NOT NULL,
        "Version" integer NOT NULL,
        "AmountCurrency" character varying(3) NOT NULL,
        "Amount" bigint NOT NULL,
        "PayerAddress" character varying(500),
        "PayerEmail" character varying(254),
        "PayerName" character varying(200) NOT NULL,
        "PayerIdNumber" character varying(20) NOT NULL,
        "PayerPhone" character varying(20),
        "RefundedCurrency" character varying(3) NOT NULL,
        "Refunded" bigint NOT NULL,
        CONSTRAINT "PK_PaymentOrders" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "ReceiptSeries" (
        "Id" integer GENERATED BY DEFAULT AS IDENTITY,
        "AgencyCode" character varying(50) NOT NULL,
        "TemplateSymbol" character varying(20) NOT NULL,
        "SeriesLetters" character varying(10) NOT NULL,
        "MaxNumber" integer NOT NULL,
        "Active" boolean NOT NULL,
        CONSTRAINT "PK_ReceiptSeries" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "ReconciliationItems" (
        "Id" uuid NOT NULL,
        "Source" character varying(20) NOT NULL,
        "BankTxnId" character varying(100) NOT NULL,
        "Account" character varying(30) NOT NULL,
        "Content" character varying(500) NOT NULL,
        "BookedAt" timestamp with time zone NOT NULL,
        "Kind" character varying(32) NOT NULL,
        "OrderId" uuid,
        "ExpectedAmount" bigint,
        "Status" character varying(32) NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "StatementImportId" uuid,
        "Held" bigint NOT NULL,
        "Shortfall" bigint NOT NULL,
        "Resolution" character varying(32),
        "ResolutionReason" character varying(500),
        "ResolvedBy" character varying(200),
        "ResolvedAt" timestamp with time zone,
        "WriteOffRequestedBy" character varying(200),
        "LinkedOrderId" uuid,
        "AmountCurrency" character varying(3) NOT NULL,
        "Amount" bigint NOT NULL,
        CONSTRAINT "PK_ReconciliationItems" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "StatementImports" (
        "Id" uuid NOT NULL,
        "Sha256" character varying(64) NOT NULL,
        "FileName" character varying(200) NOT NULL,
        "Format" character varying(30) NOT NULL,
        "Provider" character varying(20) NOT NULL,
        "AgencyCode" character varying(50) NOT NULL,
        "ImportedBy" character varying(200) NOT NULL,
        "ImportedAt" timestamp with time zone NOT NULL,
        "PeriodFrom" timestamp with time zone NOT NULL,
        "PeriodTo" timestamp with time zone NOT NULL,
        "Lines" integer NOT NULL,
        "Matched" integer NOT NULL,
        "AmountMismatch" integer NOT NULL,
        "UnknownCredit" integer NOT NULL,
        "MissingCredit" integer NOT NULL,
        "Duplicate" integer NOT NULL,
        "AlreadyImported" integer NOT NULL,
        "Ignored" integer NOT NULL,
        CONSTRAINT "PK_StatementImports" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "StatementLines" (
        "Id" bigint GENERATED BY DEFAULT AS IDENTITY,
        "ImportId" uuid NOT NULL,
        "Account" character varying(30) NOT NULL,
        "BankTxnId" character varying(100) NOT NULL,
        "BookedAt" timestamp with time zone NOT NULL,
        "Amount" bigint NOT NULL,
        "Content" character varying(500) NOT NULL,
        "Outcome" integer NOT NULL,
        "AttemptId" uuid,
        CONSTRAINT "PK_StatementLines" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "WebhookAttempts" (
        "Id" bigint GENERATED BY DEFAULT AS IDENTITY,
        "DeliveryId" uuid NOT NULL,
        "At" timestamp with time zone NOT NULL,
        "StatusCode" integer,
        "Error" character varying(500),
        "DurationMs" integer NOT NULL,
        "Node" character varying(100) NOT NULL,
        CONSTRAINT "PK_WebhookAttempts" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "WebhookDeliveries" (
        "Id" uuid NOT NULL,
        "EventId" uuid NOT NULL,
        "EventType" character varying(100) NOT NULL,
        "ApiClientId" uuid NOT NULL,
        "AgencyCode" character varying(50) NOT NULL,
        "Url" character varying(500) NOT NULL,
        "PayloadJson" text NOT NULL,
        "Status" character varying(32) NOT NULL,
        "Attempts" integer NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "NextAttemptAt" timestamp with time zone NOT NULL,
        "RetryUntil" timestamp with time zone NOT NULL,
        "DeliveredAt" timestamp with time zone,
        "LastStatusCode" integer,
        "LastError" character varying(500),
        "LeaseUntil" timestamp with time zone NOT NULL,
        "LeaseOwner" character varying(100),
        "Version" uuid NOT NULL,
        CONSTRAINT "PK_WebhookDeliveries" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "ApiClients" (
        "Id" uuid NOT NULL,
        "Name" character varying(500) NOT NULL,
        "AgencyCode" character varying(50) NOT NULL,
        "KeyHash" character varying(64) NOT NULL,
        "KeyPrefix" character varying(12) NOT NULL,
        "CreatedAt" timestamp with time zone NOT NULL,
        "RevokedAt" timestamp with time zone,
        "Scopes" character varying(100) NOT NULL,
        "WebhookUrl" character varying(500),
        "WebhookSecret" character varying(100),
        CONSTRAINT "PK_ApiClients" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_ApiClients_Agencies_AgencyCode" FOREIGN KEY ("AgencyCode") REFERENCES "Agencies" ("Code") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "AspNetRoleClaims" (
        "Id" integer GENERATED BY DEFAULT AS IDENTITY,
        "RoleId" character varying(500) NOT NULL,
        "ClaimType" character varying(500),
        "ClaimValue" character varying(500),
        CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "AspNetUserClaims" (
        "Id" integer GENERATED BY DEFAULT AS IDENTITY,
        "UserId" character varying(500) NOT NULL,
        "ClaimType" character varying(500),
        "ClaimValue" character varying(500),
        CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "AspNetUserLogins" (
        "LoginProvider" character varying(500) NOT NULL,
        "ProviderKey" character varying(500) NOT NULL,
        "ProviderDisplayName" character varying(500),
        "UserId" character varying(500) NOT NULL,
        CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
        CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "AspNetUserRoles" (
        "UserId" character varying(500) NOT NULL,
        "RoleId" character varying(500) NOT NULL,
        CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
        CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
        CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "AspNetUserTokens" (
        "UserId" character varying(500) NOT NULL,
        "LoginProvider" character varying(500) NOT NULL,
        "Name" character varying(500) NOT NULL,
        "Value" character varying(500),
        CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
        CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "Postings" (
        "Id" bigint GENERATED BY DEFAULT AS IDENTITY,
        "Account" character varying(100) NOT NULL,
        "TransactionId" uuid,
        "CreditCurrency" character varying(3) NOT NULL,
        "Credit" bigint NOT NULL,
        "DebitCurrency" character varying(3) NOT NULL,
        "Debit" bigint NOT NULL,
        CONSTRAINT "PK_Postings" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_Postings_LedgerTransactions_TransactionId" FOREIGN KEY ("TransactionId") REFERENCES "LedgerTransactions" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "OrderLines" (
        "Id" bigint GENERATED BY DEFAULT AS IDENTITY,
        "LineNo" integer NOT NULL,
        "FeeCode" character varying(50) NOT NULL,
        "Name" character varying(500) NOT NULL,
        "Kind" character varying(32) NOT NULL,
        "LegalBasis" character varying(500) NOT NULL,
        "AgencyCode" character varying(50) NOT NULL,
        "Quantity" integer NOT NULL,
        "OrderId" uuid,
        "AmountCurrency" character varying(3) NOT NULL,
        "Amount" bigint NOT NULL,
        "DiscountCurrency" character varying(3) NOT NULL,
        "Discount" bigint NOT NULL,
        "GrossCurrency" character varying(3) NOT NULL,
        "Gross" bigint NOT NULL,
        "UnitCurrency" character varying(3) NOT NULL,
        "Unit" bigint NOT NULL,
        CONSTRAINT "PK_OrderLines" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_OrderLines_PaymentOrders_OrderId" FOREIGN KEY ("OrderId") REFERENCES "PaymentOrders" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "PaymentAttempts" (
        "Id" uuid NOT NULL,
        "OrderId" uuid NOT NULL,
        "Provider" character varying(20) NOT NULL,
        "ProviderReference" character varying(64) NOT NULL,
        "Status" character varying(32) NOT NULL,
        "ProviderTransactionId" character varying(100),
        "FailureCode" character varying(50),
        "ProviderIntentId" character varying(100),
        "Method" character varying(20),
        "RecordedBy" character varying(200),
        "CreatedAt" timestamp with time zone NOT NULL,
        "ExpiresAt" timestamp with time zone NOT NULL,
        "CompletedAt" timestamp with time zone,
        "AmountCurrency" character varying(3) NOT NULL,
        "Amount" bigint NOT NULL,
        CONSTRAINT "PK_PaymentAttempts" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_PaymentAttempts_PaymentOrders_OrderId" FOREIGN KEY ("OrderId") REFERENCES "PaymentOrders" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "Refunds" (
        "Id" uuid NOT NULL,
        "OrderId" uuid NOT NULL,
        "AttemptId" uuid,
        "Provider" character varying(20) NOT NULL,
        "Reason" character varying(500) NOT NULL,
        "RequestId" character varying(64) NOT NULL,
        "RequestedBy" character varying(500) NOT NULL,
        "ProviderRefundId" character varying(100),
        "CreatedAt" timestamp with time zone NOT NULL,
        "AmountCurrency" character varying(3) NOT NULL,
        "Amount" bigint NOT NULL,
        CONSTRAINT "PK_Refunds" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_Refunds_PaymentOrders_OrderId" FOREIGN KEY ("OrderId") REFERENCES "PaymentOrders" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "ReceiptCounters" (
        "SeriesId" integer NOT NULL,
        "Year" integer NOT NULL,
        "LastNumber" integer NOT NULL,
        "Version" integer NOT NULL,
        CONSTRAINT "PK_ReceiptCounters" PRIMARY KEY ("SeriesId", "Year"),
        CONSTRAINT "FK_ReceiptCounters_ReceiptSeries_SeriesId" FOREIGN KEY ("SeriesId") REFERENCES "ReceiptSeries" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE TABLE "Receipts" (
        "Id" uuid NOT NULL,
        "OrderId" uuid NOT NULL,
        "AttemptId" uuid,
        "SeriesId" integer NOT NULL,
        "TemplateSymbol" character varying(20) NOT NULL,
        "Series" character varying(20) NOT NULL,
        "Year" integer NOT NULL,
        "Number" integer NOT NULL,
        "AgencyCode" character varying(500) NOT NULL,
        "DossierCode" character varying(500) NOT NULL,
        "PayerName" character varying(200) NOT NULL,
        "PayerIdNumber" character varying(20),
        "PayerAddress" character varying(500),
        "PaymentMethod" character varying(500) NOT NULL,
        "ProviderReference" character varying(500),
        "ProviderTransactionId" character varying(500),
        "Collector" character varying(500) NOT NULL,
        "IssuedAt" timestamp with time zone NOT NULL,
        "Status" character varying(32) NOT NULL,
        "VerifyToken" character varying(64) NOT NULL,
        "ContentJson" text NOT NULL,
        "ContentSha256" character varying(64) NOT NULL,
        "Signature" text,
        "SignatureAlgorithm" character varying(10),
        "SignerSubject" character varying(500),
        "SignerThumbprint" character varying(64),
        "SignerCertificate" text,
        "SignedAt" timestamp with time zone,
        "ReplacesId" uuid,
        "ReplacedById" uuid,
        "CancelReason" character varying(500),
        "CancelledAt" timestamp with time zone,
        "NumberWidth" integer NOT NULL,
        "AmountCurrency" character varying(3) NOT NULL,
        "Amount" bigint NOT NULL,
        CONSTRAINT "PK_Receipts" PRIMARY KEY ("Id"),
        CONSTRAINT "FK_Receipts_ReceiptSeries_SeriesId" FOREIGN KEY ("SeriesId") REFERENCES "ReceiptSeries" ("Id") ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_ApiClients_AgencyCode" ON "ApiClients" ("AgencyCode");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_ApiClients_KeyHash" ON "ApiClients" ("KeyHash");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_Audit_AgencyCode_At" ON "Audit" ("AgencyCode", "At");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_Audit_At" ON "Audit" ("At");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_Audit_EntityType_EntityId" ON "Audit" ("EntityType", "EntityId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_DailyCloses_AgencyCode_Desk_Day" ON "DailyCloses" ("AgencyCode", "Desk", "Day");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_Fees_AgencyCode" ON "Fees" ("AgencyCode");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_LedgerTransactions_AgencyCode_CreatedAt" ON "LedgerTransactions" ("AgencyCode", "CreatedAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "UX_Ledger_OnePaymentPerOrder" ON "LedgerTransactions" ("OrderId") WHERE "Kind" = 'Payment';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_OrderLines_OrderId" ON "OrderLines" ("OrderId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_Outbox_DeliveredAt" ON "Outbox" ("DeliveredAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_PaymentAttempts_OrderId" ON "PaymentAttempts" ("OrderId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_PaymentAttempts_Provider_ProviderReference" ON "PaymentAttempts" ("Provider", "ProviderReference");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_PaymentAttempts_Provider_ProviderTransactionId" ON "PaymentAttempts" ("Provider", "ProviderTransactionId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_PaymentAttempts_Status_ExpiresAt" ON "PaymentAttempts" ("Status", "ExpiresAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_PaymentOrders_AgencyCode_DossierCode" ON "PaymentOrders" ("AgencyCode", "DossierCode");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_PaymentOrders_PayToken" ON "PaymentOrders" ("PayToken");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_PaymentOrders_Status_ExpiresAt" ON "PaymentOrders" ("Status", "ExpiresAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_Postings_Account" ON "Postings" ("Account");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_Postings_TransactionId" ON "Postings" ("TransactionId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_Receipts_SeriesId_Year_Number" ON "Receipts" ("SeriesId", "Year", "Number");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_Receipts_VerifyToken" ON "Receipts" ("VerifyToken");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "UX_Receipts_OneValidPerOrder" ON "Receipts" ("OrderId") WHERE "Status" = 'Valid';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_ReceiptSeries_TemplateSymbol_SeriesLetters" ON "ReceiptSeries" ("TemplateSymbol", "SeriesLetters");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_ReconciliationItems_Source_BankTxnId" ON "ReconciliationItems" ("Source", "BankTxnId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_ReconciliationItems_StatementImportId" ON "ReconciliationItems" ("StatementImportId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_ReconciliationItems_Status_CreatedAt" ON "ReconciliationItems" ("Status", "CreatedAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_Refunds_OrderId" ON "Refunds" ("OrderId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_Refunds_RequestId" ON "Refunds" ("RequestId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_StatementImports_ImportedAt" ON "StatementImports" ("ImportedAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_StatementImports_Sha256" ON "StatementImports" ("Sha256");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_StatementLines_Account_BankTxnId" ON "StatementLines" ("Account", "BankTxnId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_StatementLines_ImportId" ON "StatementLines" ("ImportId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_WebhookAttempts_DeliveryId" ON "WebhookAttempts" ("DeliveryId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_WebhookDeliveries_AgencyCode_CreatedAt" ON "WebhookDeliveries" ("AgencyCode", "CreatedAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE UNIQUE INDEX "IX_WebhookDeliveries_EventId_ApiClientId" ON "WebhookDeliveries" ("EventId", "ApiClientId");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    CREATE INDEX "IX_WebhookDeliveries_Status_NextAttemptAt" ON "WebhookDeliveries" ("Status", "NextAttemptAt");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124011121_Initial') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124011121_Initial', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124013347_Leases') THEN
    CREATE TABLE "Leases" (
        "Name" character varying(50) NOT NULL,
        "Owner" character varying(100),
        "Until" timestamp with time zone NOT NULL,
        CONSTRAINT "PK_Leases" PRIMARY KEY ("Name")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124013347_Leases') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124013347_Leases', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124014338_DataProtectionKeys') THEN
    CREATE TABLE "DataProtectionKeys" (
        "Id" integer GENERATED BY DEFAULT AS IDENTITY,
        "FriendlyName" character varying(200),
        "Xml" text,
        CONSTRAINT "PK_DataProtectionKeys" PRIMARY KEY ("Id")
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124014338_DataProtectionKeys') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124014338_DataProtectionKeys', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124123313_OrderLineKey') THEN
    ALTER TABLE "OrderLines" DROP CONSTRAINT "PK_OrderLines";
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124123313_OrderLineKey') THEN
    DROP INDEX "IX_OrderLines_OrderId";
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124123313_OrderLineKey') THEN
    ALTER TABLE "OrderLines" DROP COLUMN "Id";
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124123313_OrderLineKey') THEN
    UPDATE "OrderLines" SET "OrderId" = '00000000-0000-0000-0000-000000000000' WHERE "OrderId" IS NULL;
    ALTER TABLE "OrderLines" ALTER COLUMN "OrderId" SET NOT NULL;
    ALTER TABLE "OrderLines" ALTER COLUMN "OrderId" SET DEFAULT '00000000-0000-0000-0000-000000000000';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124123313_OrderLineKey') THEN
    ALTER TABLE "OrderLines" ADD CONSTRAINT "PK_OrderLines" PRIMARY KEY ("OrderId", "LineNo");
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261124123313_OrderLineKey') THEN
    INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
    VALUES ('20261124123313_OrderLineKey', '10.0.15');
    END IF;
END $EF$;
COMMIT;

