using Payments.Api.Features;
using Payments.Api.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPaymentsApi(builder.Configuration);

var app = builder.Build();
await app.PreparePaymentsAsync();
app.UsePaymentsPipeline();
app.MapPaymentsEndpoints();
app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
