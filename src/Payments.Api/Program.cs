using Payments.Api.Features;
using Payments.Api.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPaymentsApi(builder.Configuration);

var app = builder.Build();
// The store (migrations, seeding) is prepared while the pipeline and endpoints are built and the server starts; until
// it is, only the health endpoints answer and other requests wait (StorePreparation, ADR-0035).
app.Services.GetRequiredService<StorePreparation>().Begin(Task.Run(app.PreparePaymentsAsync));
app.UsePaymentsPipeline();
app.MapPaymentsEndpoints();
try
{
    await app.StartAsync(); // ends with the store's preparation
}
catch
{
    // Not prepared: stop listening and let the error end the process. The host is not disposed here, so that whoever
    // waits for its start (the tests' host factory) gets this error rather than a disposed host. A start that failed
    // before its services existed (a service that cannot be built) cannot be stopped either: its own error is the one told.
    try { await app.StopAsync(); }
    catch (Exception stopping) { app.Logger.LogDebug(stopping, "Stopping a host that failed to start failed too"); }
    throw;
}
await app.WaitForShutdownAsync();
await app.DisposeAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
