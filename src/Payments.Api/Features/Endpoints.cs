using Payments.Api.Features.Attempts;
using Payments.Api.Features.Callbacks;
using Payments.Api.Features.Fees;
using Payments.Api.Features.Ledger;
using Payments.Api.Features.Pay;
using Payments.Api.Features.PaymentOrders.Cancel;
using Payments.Api.Features.PaymentOrders.Create;
using Payments.Api.Features.PaymentOrders.Get;
using Payments.Api.Features.Receipts;
using Payments.Api.Features.Sandbox;
using Payments.Api.Infrastructure;
using Scalar.AspNetCore;

namespace Payments.Api.Features;

/// <summary>Every route of the service, in one list.</summary>
public static class Endpoints
{
    public static void MapPaymentsEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(PaymentsApiSetup.PortalPolicy).WithTags("Portal API");
        CreatePaymentOrderEndpoint.Map(api);
        GetPaymentOrderEndpoints.Map(api);
        CancelPaymentOrderEndpoint.Map(api);
        StartPaymentAttemptEndpoint.Map(api);
        Refunds.RefundPaymentEndpoint.Map(api);
        Counter.RecordCounterPaymentEndpoint.Map(api);
        ListFeesEndpoint.Map(api);
        GetReceiptEndpoint.Map(api);
        GetTrialBalanceEndpoint.Map(api);

        CorrectReceiptEndpoints.Map(app);
        ReceiptSeriesEndpoints.Map(app);
        Reconciliation.ReconciliationEndpoints.Map(app);
        Reports.ReportEndpoints.Map(app);
        Outbox.WebhookSettings.Map(app);
        Benchmark.Baselines.Map(app);

        CallbackEndpoint.Map(app);
        PayPage.Map(app);
        VietQrImageEndpoints.Map(app);
        VerifyPage.Map(app);
        SandboxWallet.Map(app, app.Configuration);
        SandboxBank.Map(app, app.Configuration);

        app.MapRazorPages();
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Payments API"));
        app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();
    }
}
