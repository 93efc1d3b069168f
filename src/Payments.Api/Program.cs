using Payments.Api.Features;
using Payments.Api.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPaymentsApi(builder.Configuration);

var app = builder.Build();
// The store (migrations, seeding) is prepared while the pipeline and endpoints are built; nothing is served before both.
var prepared = Task.Run(app.PreparePaymentsAsync);
app.UsePaymentsPipeline();
app.MapPaymentsEndpoints();
await prepared;
app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
