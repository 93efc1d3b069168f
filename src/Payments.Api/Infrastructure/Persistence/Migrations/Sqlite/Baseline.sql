CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "Agencies" (
    "Code" TEXT NOT NULL CONSTRAINT "PK_Agencies" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "TaxCode" TEXT NOT NULL,
    "Address" TEXT NULL
);

CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);

CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "FullName" TEXT NOT NULL,
    "AgencyCode" TEXT NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" INTEGER NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL
);

CREATE TABLE "Audit" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Audit" PRIMARY KEY,
    "At" INTEGER NOT NULL,
    "Actor" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "EntityType" TEXT NOT NULL,
    "EntityId" TEXT NOT NULL,
    "BeforeJson" TEXT NULL,
    "AfterJson" TEXT NULL,
    "Reason" TEXT NULL
);

CREATE TABLE "Fees" (
    "Code" TEXT NOT NULL CONSTRAINT "PK_Fees" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "LegalBasis" TEXT NOT NULL,
    "AgencyCode" TEXT NOT NULL,
    "OnlineDiscountPercent" INTEGER NOT NULL,
    "DiscountFrom" TEXT NULL,
    "DiscountUntil" TEXT NULL,
    "AmountCurrency" TEXT NOT NULL,
    "Amount" INTEGER NOT NULL
);

CREATE TABLE "IdempotencyRecords" (
    "ClientId" TEXT NOT NULL,
    "Key" TEXT NOT NULL,
    "RequestHash" TEXT NOT NULL,
    "StatusCode" INTEGER NOT NULL,
    "ResponseJson" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_IdempotencyRecords" PRIMARY KEY ("ClientId", "Key")
);

CREATE TABLE "LedgerTransactions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_LedgerTransactions" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "OrderId" TEXT NULL,
    "Description" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);

CREATE TABLE "Outbox" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Outbox" PRIMARY KEY,
    "Type" TEXT NOT NULL,
    "AggregateId" TEXT NOT NULL,
    "PayloadJson" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "DeliveredAt" INTEGER NULL,
    "DeliveryAttempts" INTEGER NOT NULL
);

CREATE TABLE "PaymentOrders" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PaymentOrders" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "AgencyCode" TEXT NOT NULL,
    "DossierCode" TEXT NOT NULL,
    "ProcedureCode" TEXT NOT NULL,
    "Channel" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "PayToken" TEXT NOT NULL,
    "ReturnUrl" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "PaidAt" INTEGER NULL,
    "ClosedAt" INTEGER NULL,
    "RequiresRefundReview" INTEGER NOT NULL,
    "Version" INTEGER NOT NULL,
    "AmountCurrency" TEXT NOT NULL,
    "Amount" INTEGER NOT NULL,
    "PayerAddress" TEXT NULL,
    "PayerEmail" TEXT NULL,
    "PayerName" TEXT NOT NULL,
    "PayerIdNumber" TEXT NOT NULL,
    "PayerPhone" TEXT NULL,
    "RefundedCurrency" TEXT NOT NULL,
    "Refunded" INTEGER NOT NULL
);

CREATE TABLE "ReceiptSeries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ReceiptSeries" PRIMARY KEY AUTOINCREMENT,
    "AgencyCode" TEXT NOT NULL,
    "TemplateSymbol" TEXT NOT NULL,
    "SeriesLetters" TEXT NOT NULL,
    "MaxNumber" INTEGER NOT NULL,
    "Active" INTEGER NOT NULL
);

CREATE TABLE "ReconciliationItems" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ReconciliationItems" PRIMARY KEY,
    "Source" TEXT NOT NULL,
    "BankTxnId" TEXT NOT NULL,
    "Account" TEXT NOT NULL,
    "Content" TEXT NOT NULL,
    "BookedAt" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "OrderId" TEXT NULL,
    "ExpectedAmount" INTEGER NULL,
    "Status" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "AmountCurrency" TEXT NOT NULL,
    "Amount" INTEGER NOT NULL
);

CREATE TABLE "ApiClients" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ApiClients" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "AgencyCode" TEXT NOT NULL,
    "KeyHash" TEXT NOT NULL,
    "KeyPrefix" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    "Scopes" TEXT NOT NULL,
    CONSTRAINT "FK_ApiClients_Agencies_AgencyCode" FOREIGN KEY ("AgencyCode") REFERENCES "Agencies" ("Code") ON DELETE RESTRICT
);

CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Postings" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Postings" PRIMARY KEY AUTOINCREMENT,
    "Account" TEXT NOT NULL,
    "TransactionId" TEXT NULL,
    "CreditCurrency" TEXT NOT NULL,
    "Credit" INTEGER NOT NULL,
    "DebitCurrency" TEXT NOT NULL,
    "Debit" INTEGER NOT NULL,
    CONSTRAINT "FK_Postings_LedgerTransactions_TransactionId" FOREIGN KEY ("TransactionId") REFERENCES "LedgerTransactions" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "OrderLines" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_OrderLines" PRIMARY KEY AUTOINCREMENT,
    "LineNo" INTEGER NOT NULL,
    "FeeCode" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "LegalBasis" TEXT NOT NULL,
    "AgencyCode" TEXT NOT NULL,
    "Quantity" INTEGER NOT NULL,
    "OrderId" TEXT NULL,
    "AmountCurrency" TEXT NOT NULL,
    "Amount" INTEGER NOT NULL,
    "DiscountCurrency" TEXT NOT NULL,
    "Discount" INTEGER NOT NULL,
    "GrossCurrency" TEXT NOT NULL,
    "Gross" INTEGER NOT NULL,
    "UnitCurrency" TEXT NOT NULL,
    "Unit" INTEGER NOT NULL,
    CONSTRAINT "FK_OrderLines_PaymentOrders_OrderId" FOREIGN KEY ("OrderId") REFERENCES "PaymentOrders" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "PaymentAttempts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PaymentAttempts" PRIMARY KEY,
    "OrderId" TEXT NOT NULL,
    "Provider" TEXT NOT NULL,
    "ProviderReference" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "ProviderTransactionId" TEXT NULL,
    "FailureCode" TEXT NULL,
    "ProviderIntentId" TEXT NULL,
    "Method" TEXT NULL,
    "RecordedBy" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "CompletedAt" INTEGER NULL,
    "AmountCurrency" TEXT NOT NULL,
    "Amount" INTEGER NOT NULL,
    CONSTRAINT "FK_PaymentAttempts_PaymentOrders_OrderId" FOREIGN KEY ("OrderId") REFERENCES "PaymentOrders" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Refunds" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Refunds" PRIMARY KEY,
    "OrderId" TEXT NOT NULL,
    "AttemptId" TEXT NULL,
    "Provider" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "RequestId" TEXT NOT NULL,
    "RequestedBy" TEXT NOT NULL,
    "ProviderRefundId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "AmountCurrency" TEXT NOT NULL,
    "Amount" INTEGER NOT NULL,
    CONSTRAINT "FK_Refunds_PaymentOrders_OrderId" FOREIGN KEY ("OrderId") REFERENCES "PaymentOrders" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ReceiptCounters" (
    "SeriesId" INTEGER NOT NULL,
    "Year" INTEGER NOT NULL,
    "LastNumber" INTEGER NOT NULL,
    "Version" INTEGER NOT NULL,
    CONSTRAINT "PK_ReceiptCounters" PRIMARY KEY ("SeriesId", "Year"),
    CONSTRAINT "FK_ReceiptCounters_ReceiptSeries_SeriesId" FOREIGN KEY ("SeriesId") REFERENCES "ReceiptSeries" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "Receipts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Receipts" PRIMARY KEY,
    "OrderId" TEXT NOT NULL,
    "AttemptId" TEXT NULL,
    "SeriesId" INTEGER NOT NULL,
    "TemplateSymbol" TEXT NOT NULL,
    "Series" TEXT NOT NULL,
    "Year" INTEGER NOT NULL,
    "Number" INTEGER NOT NULL,
    "AgencyCode" TEXT NOT NULL,
    "DossierCode" TEXT NOT NULL,
    "PayerName" TEXT NOT NULL,
    "PayerIdNumber" TEXT NULL,
    "PayerAddress" TEXT NULL,
    "PaymentMethod" TEXT NOT NULL,
    "ProviderReference" TEXT NULL,
    "ProviderTransactionId" TEXT NULL,
    "Collector" TEXT NOT NULL,
    "IssuedAt" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "VerifyToken" TEXT NOT NULL,
    "ContentJson" TEXT NOT NULL,
    "ContentSha256" TEXT NOT NULL,
    "Signature" TEXT NULL,
    "SignatureAlgorithm" TEXT NULL,
    "SignerSubject" TEXT NULL,
    "SignerThumbprint" TEXT NULL,
    "SignerCertificate" TEXT NULL,
    "SignedAt" INTEGER NULL,
    "ReplacesId" TEXT NULL,
    "ReplacedById" TEXT NULL,
    "CancelReason" TEXT NULL,
    "CancelledAt" INTEGER NULL,
    "NumberWidth" INTEGER NOT NULL,
    "AmountCurrency" TEXT NOT NULL,
    "Amount" INTEGER NOT NULL,
    CONSTRAINT "FK_Receipts_ReceiptSeries_SeriesId" FOREIGN KEY ("SeriesId") REFERENCES "ReceiptSeries" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_ApiClients_AgencyCode" ON "ApiClients" ("AgencyCode");

CREATE UNIQUE INDEX "IX_ApiClients_KeyHash" ON "ApiClients" ("KeyHash");

CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");

CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");

CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");

CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");

CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");

CREATE INDEX "IX_Audit_At" ON "Audit" ("At");

CREATE INDEX "IX_Audit_EntityType_EntityId" ON "Audit" ("EntityType", "EntityId");

CREATE INDEX "IX_Fees_AgencyCode" ON "Fees" ("AgencyCode");

CREATE UNIQUE INDEX "UX_Ledger_OnePaymentPerOrder" ON "LedgerTransactions" ("OrderId") WHERE "Kind" = 'Payment';

CREATE INDEX "IX_OrderLines_OrderId" ON "OrderLines" ("OrderId");

CREATE INDEX "IX_Outbox_DeliveredAt" ON "Outbox" ("DeliveredAt");

CREATE INDEX "IX_PaymentAttempts_OrderId" ON "PaymentAttempts" ("OrderId");

CREATE UNIQUE INDEX "IX_PaymentAttempts_Provider_ProviderReference" ON "PaymentAttempts" ("Provider", "ProviderReference");

CREATE UNIQUE INDEX "IX_PaymentAttempts_Provider_ProviderTransactionId" ON "PaymentAttempts" ("Provider", "ProviderTransactionId");

CREATE INDEX "IX_PaymentAttempts_Status_ExpiresAt" ON "PaymentAttempts" ("Status", "ExpiresAt");

CREATE INDEX "IX_PaymentOrders_AgencyCode_DossierCode" ON "PaymentOrders" ("AgencyCode", "DossierCode");

CREATE UNIQUE INDEX "IX_PaymentOrders_PayToken" ON "PaymentOrders" ("PayToken");

CREATE INDEX "IX_PaymentOrders_Status_ExpiresAt" ON "PaymentOrders" ("Status", "ExpiresAt");

CREATE INDEX "IX_Postings_Account" ON "Postings" ("Account");

CREATE INDEX "IX_Postings_TransactionId" ON "Postings" ("TransactionId");

CREATE UNIQUE INDEX "IX_Receipts_SeriesId_Year_Number" ON "Receipts" ("SeriesId", "Year", "Number");

CREATE UNIQUE INDEX "IX_Receipts_VerifyToken" ON "Receipts" ("VerifyToken");

CREATE UNIQUE INDEX "UX_Receipts_OneValidPerOrder" ON "Receipts" ("OrderId") WHERE "Status" = 'Valid';

CREATE UNIQUE INDEX "IX_ReceiptSeries_TemplateSymbol_SeriesLetters" ON "ReceiptSeries" ("TemplateSymbol", "SeriesLetters");

CREATE UNIQUE INDEX "IX_ReconciliationItems_Source_BankTxnId" ON "ReconciliationItems" ("Source", "BankTxnId");

CREATE INDEX "IX_ReconciliationItems_Status_CreatedAt" ON "ReconciliationItems" ("Status", "CreatedAt");

CREATE INDEX "IX_Refunds_OrderId" ON "Refunds" ("OrderId");

CREATE UNIQUE INDEX "IX_Refunds_RequestId" ON "Refunds" ("RequestId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261123232103_Initial', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Audit" ADD "AgencyCode" TEXT NOT NULL DEFAULT '';

CREATE INDEX "IX_Audit_AgencyCode_At" ON "Audit" ("AgencyCode", "At");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261124001802_AuditAgency', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "ReconciliationItems" ADD "Held" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "ReconciliationItems" ADD "LinkedOrderId" TEXT NULL;

ALTER TABLE "ReconciliationItems" ADD "Resolution" TEXT NULL;

ALTER TABLE "ReconciliationItems" ADD "ResolutionReason" TEXT NULL;

ALTER TABLE "ReconciliationItems" ADD "ResolvedAt" INTEGER NULL;

ALTER TABLE "ReconciliationItems" ADD "ResolvedBy" TEXT NULL;

ALTER TABLE "ReconciliationItems" ADD "Shortfall" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "ReconciliationItems" ADD "StatementImportId" TEXT NULL;

ALTER TABLE "ReconciliationItems" ADD "WriteOffRequestedBy" TEXT NULL;

UPDATE "ReconciliationItems" SET "Held" = "Amount";

CREATE TABLE "StatementImports" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_StatementImports" PRIMARY KEY,
    "Sha256" TEXT NOT NULL,
    "FileName" TEXT NOT NULL,
    "Format" TEXT NOT NULL,
    "Provider" TEXT NOT NULL,
    "AgencyCode" TEXT NOT NULL,
    "ImportedBy" TEXT NOT NULL,
    "ImportedAt" INTEGER NOT NULL,
    "PeriodFrom" INTEGER NOT NULL,
    "PeriodTo" INTEGER NOT NULL,
    "Lines" INTEGER NOT NULL,
    "Matched" INTEGER NOT NULL,
    "AmountMismatch" INTEGER NOT NULL,
    "UnknownCredit" INTEGER NOT NULL,
    "MissingCredit" INTEGER NOT NULL,
    "Duplicate" INTEGER NOT NULL,
    "AlreadyImported" INTEGER NOT NULL,
    "Ignored" INTEGER NOT NULL
);

CREATE TABLE "StatementLines" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_StatementLines" PRIMARY KEY AUTOINCREMENT,
    "ImportId" TEXT NOT NULL,
    "Account" TEXT NOT NULL,
    "BankTxnId" TEXT NOT NULL,
    "BookedAt" INTEGER NOT NULL,
    "Amount" INTEGER NOT NULL,
    "Content" TEXT NOT NULL,
    "Outcome" INTEGER NOT NULL,
    "AttemptId" TEXT NULL
);

CREATE INDEX "IX_ReconciliationItems_StatementImportId" ON "ReconciliationItems" ("StatementImportId");

CREATE INDEX "IX_StatementImports_ImportedAt" ON "StatementImports" ("ImportedAt");

CREATE UNIQUE INDEX "IX_StatementImports_Sha256" ON "StatementImports" ("Sha256");

CREATE UNIQUE INDEX "IX_StatementLines_Account_BankTxnId" ON "StatementLines" ("Account", "BankTxnId");

CREATE INDEX "IX_StatementLines_ImportId" ON "StatementLines" ("ImportId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261124002902_Reconciliation', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "LedgerTransactions" ADD "AgencyCode" TEXT NOT NULL DEFAULT '';

UPDATE "LedgerTransactions" SET "AgencyCode" = (SELECT "AgencyCode" FROM "PaymentOrders" WHERE "PaymentOrders"."Id" = "LedgerTransactions"."OrderId") WHERE "OrderId" IS NOT NULL;

CREATE INDEX "IX_LedgerTransactions_AgencyCode_CreatedAt" ON "LedgerTransactions" ("AgencyCode", "CreatedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261124004622_LedgerAgency', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "DailyCloses" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_DailyCloses" PRIMARY KEY,
    "AgencyCode" TEXT NOT NULL,
    "Desk" TEXT NOT NULL,
    "Day" TEXT NOT NULL,
    "LinesJson" TEXT NOT NULL,
    "PaymentsJson" TEXT NOT NULL,
    "Explanation" TEXT NOT NULL,
    "ClosedBy" TEXT NOT NULL,
    "ClosedAt" INTEGER NOT NULL
);

CREATE UNIQUE INDEX "IX_DailyCloses_AgencyCode_Desk_Day" ON "DailyCloses" ("AgencyCode", "Desk", "Day");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261124005645_DailyClose', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Outbox" ADD "LeaseOwner" TEXT NULL;

ALTER TABLE "Outbox" ADD "LeaseUntil" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "ApiClients" ADD "WebhookSecret" TEXT NULL;

ALTER TABLE "ApiClients" ADD "WebhookUrl" TEXT NULL;

CREATE TABLE "WebhookAttempts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_WebhookAttempts" PRIMARY KEY AUTOINCREMENT,
    "DeliveryId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "StatusCode" INTEGER NULL,
    "Error" TEXT NULL,
    "DurationMs" INTEGER NOT NULL,
    "Node" TEXT NOT NULL
);

CREATE TABLE "WebhookDeliveries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_WebhookDeliveries" PRIMARY KEY,
    "EventId" TEXT NOT NULL,
    "EventType" TEXT NOT NULL,
    "ApiClientId" TEXT NOT NULL,
    "AgencyCode" TEXT NOT NULL,
    "Url" TEXT NOT NULL,
    "PayloadJson" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "NextAttemptAt" INTEGER NOT NULL,
    "RetryUntil" INTEGER NOT NULL,
    "DeliveredAt" INTEGER NULL,
    "LastStatusCode" INTEGER NULL,
    "LastError" TEXT NULL,
    "LeaseUntil" INTEGER NOT NULL,
    "LeaseOwner" TEXT NULL,
    "Version" TEXT NOT NULL
);

CREATE INDEX "IX_WebhookAttempts_DeliveryId" ON "WebhookAttempts" ("DeliveryId");

CREATE INDEX "IX_WebhookDeliveries_AgencyCode_CreatedAt" ON "WebhookDeliveries" ("AgencyCode", "CreatedAt");

CREATE UNIQUE INDEX "IX_WebhookDeliveries_EventId_ApiClientId" ON "WebhookDeliveries" ("EventId", "ApiClientId");

CREATE INDEX "IX_WebhookDeliveries_Status_NextAttemptAt" ON "WebhookDeliveries" ("Status", "NextAttemptAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261124010609_Webhooks', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "Leases" (
    "Name" TEXT NOT NULL CONSTRAINT "PK_Leases" PRIMARY KEY,
    "Owner" TEXT NULL,
    "Until" INTEGER NOT NULL
);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261124013325_Leases', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "DataProtectionKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DataProtectionKeys" PRIMARY KEY AUTOINCREMENT,
    "FriendlyName" TEXT NULL,
    "Xml" TEXT NULL
);

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261124014218_DataProtectionKeys', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
DROP INDEX "IX_OrderLines_OrderId";

CREATE TABLE "ef_temp_OrderLines" (
    "OrderId" TEXT NOT NULL,
    "LineNo" INTEGER NOT NULL,
    "AgencyCode" TEXT NOT NULL,
    "Amount" INTEGER NOT NULL,
    "AmountCurrency" TEXT NOT NULL,
    "Discount" INTEGER NOT NULL,
    "DiscountCurrency" TEXT NOT NULL,
    "FeeCode" TEXT NOT NULL,
    "Gross" INTEGER NOT NULL,
    "GrossCurrency" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "LegalBasis" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Quantity" INTEGER NOT NULL,
    "Unit" INTEGER NOT NULL,
    "UnitCurrency" TEXT NOT NULL,
    CONSTRAINT "PK_OrderLines" PRIMARY KEY ("OrderId", "LineNo"),
    CONSTRAINT "FK_OrderLines_PaymentOrders_OrderId" FOREIGN KEY ("OrderId") REFERENCES "PaymentOrders" ("Id") ON DELETE RESTRICT
) WITHOUT ROWID;

INSERT INTO "ef_temp_OrderLines" ("OrderId", "LineNo", "AgencyCode", "Amount", "AmountCurrency", "Discount", "DiscountCurrency", "FeeCode", "Gross", "GrossCurrency", "Kind", "LegalBasis", "Name", "Quantity", "Unit", "UnitCurrency")
SELECT IFNULL("OrderId", '00000000-0000-0000-0000-000000000000'), "LineNo", "AgencyCode", "Amount", "AmountCurrency", "Discount", "DiscountCurrency", "FeeCode", "Gross", "GrossCurrency", "Kind", "LegalBasis", "Name", "Quantity", "Unit", "UnitCurrency"
FROM "OrderLines";

COMMIT;

PRAGMA foreign_keys = 0;

BEGIN TRANSACTION;
DROP TABLE "OrderLines";

ALTER TABLE "ef_temp_OrderLines" RENAME TO "OrderLines";

COMMIT;

PRAGMA foreign_keys = 1;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261124123302_OrderLineKey', '10.0.15');

