using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Payments.Api.Features.Sandbox;
using Payments.Api.Infrastructure.Auth;
using Payments.Api.Infrastructure.Persistence;
using Payments.Providers.Wallet;

namespace Payments.Api.Tests;

/// <summary>The real service over its real HTTP pipeline, on a real SQLite file of its own, with demo data.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "pk_test_portal_key_0001";
    public const string OtherAgencyKey = "pk_test_other_agency_key_0002";
    public const string Agency = "000.00.12.H29";
    public const string StaffPassword = "Test-only-pass-2026!";
    public const string Secret = "test-only-sandbox-secret-0123456789";
    public const string TmnCode = "TEST0001";
    public const string VnptSecret = "test-only-vnptpay-secret-9876543210";
    public const string VnptTmnCode = "VNPTTEST";
    public const string VietQrAccount = "0011000123456";
    public const string NotifySecret = "test-only-bank-notify-secret-0123";

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "payments-tests", Guid.NewGuid().ToString("N"));
    public string DatabasePath => Path.Combine(Directory, "payments.db");

    /// <summary>The service's clock; tests move it to cross expiry times and year ends.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    private readonly Dictionary<string, string?> _settings = new();

    private bool _realSockets;
    private string _publicBaseUrl = "http://localhost";

    /// <summary>
    /// Serves on a real socket at 127.0.0.1:<paramref name="port"/> (for a browser): outbound calls then go over real
    /// sockets too, and the public base URL is that address.
    /// </summary>
    public ApiFactory Live(int port)
    {
        _realSockets = _live = true;
        _publicBaseUrl = $"http://127.0.0.1:{port}";
        UseKestrel(port);
        ClientOptions.BaseAddress = new Uri(_publicBaseUrl);
        return this;
    }

    private bool _live;

    /// <summary>Enables the Stripe adapter against a local stub (reached over a real socket).</summary>
    public ApiFactory WithStripe(StripeStub stub)
    {
        _realSockets = true;
        return With("Payments:Providers:stripe:Enabled", "true").With("Payments:Providers:stripe:SecretKey", "sk_test_local_stub")
            .With("Payments:Providers:stripe:WebhookSecret", StripeStub.WebhookSecret).With("Payments:Providers:stripe:ApiBase", stub.Url);
    }

    private readonly List<Action<IServiceCollection>> _services = [];

    /// <summary>Replaces services for this factory (set before the first request).</summary>
    public ApiFactory WithServices(Action<IServiceCollection> configure) { _services.Add(configure); return this; }

    /// <summary>Extra configuration for this factory (set before the first request).</summary>
    public ApiFactory With(string key, string? value) { _settings[key] = value; return this; }

    /// <summary>
    /// The store the suite runs against: SQLite by default; PostgreSQL when PAYMENTS_TEST_STORE=postgres (test.sh runs
    /// the suite both ways), each factory on a fresh database of its own, dropped afterwards.
    /// </summary>
    public static bool OnPostgres => Environment.GetEnvironmentVariable("PAYMENTS_TEST_STORE") == "postgres";

    /// <summary>The PostgreSQL server the tests make their databases on (scripts/postgres.sh prints it; test-only role).</summary>
    public static string PostgresServer => Environment.GetEnvironmentVariable("PAYMENTS_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=payments;Password=payments;Database=postgres";

    /// <summary>The repository's root (where Payments.sln is), for tests that read committed files.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(System.IO.Path.Combine(dir.FullName, "Payments.sln"))) dir = dir.Parent!;
        return dir.FullName;
    }

    private string? _postgresDatabase;

    private string PostgresConnection()
    {
        var server = PostgresServer;
        _postgresDatabase = "payments_t_" + Guid.NewGuid().ToString("N")[..16];
        using (var admin = new Npgsql.NpgsqlConnection(server))
        {
            try { admin.Open(); }
            catch (Exception ex)
            {
                throw new InvalidOperationException("PostgreSQL is not reachable for PAYMENTS_TEST_STORE=postgres: run scripts/postgres.sh (./test.sh does).", ex);
            }
            using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{_postgresDatabase}\"";
            create.ExecuteNonQuery();
        }
        // Test speed: commits need not wait for the disk (this connection only; the server keeps its settings).
        return new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = _postgresDatabase, Options = "-c synchronous_commit=off" }.ConnectionString;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (OnPostgres)
        {
            builder.UseSetting("Payments:Store", "postgres");
            builder.UseSetting("ConnectionStrings:Payments", PostgresConnection());
        }
        else builder.UseSetting("ConnectionStrings:Payments", $"Data Source={DatabasePath}");
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Demo:ApiKey", ApiKey);
        builder.UseSetting("Demo:StaffPassword", StaffPassword);
        builder.UseSetting("Payments:PublicBaseUrl", _publicBaseUrl);
        builder.UseSetting("Payments:Providers:sandbox:Enabled", "true");
        builder.UseSetting("Payments:Providers:sandbox:TmnCode", TmnCode);
        builder.UseSetting("Payments:Providers:sandbox:HashSecret", Secret);
        builder.UseSetting("Payments:Providers:sandbox:PayUrl", "/sandbox/wallet/pay");
        builder.UseSetting("Payments:Providers:vnptpay:Enabled", "true");
        builder.UseSetting("Payments:Providers:vnptpay:TmnCode", VnptTmnCode);
        builder.UseSetting("Payments:Providers:vnptpay:HashSecret", VnptSecret);
        // Tests drive the janitor themselves, with the fake clock.
        builder.UseSetting("Payments:Janitor:Enabled", "false");
        builder.UseSetting("Payments:Outbox:Enabled", "false");
        builder.UseSetting("Payments:Webhooks:AllowHttp", "true");
        builder.UseSetting("Payments:Receipts:Certificate:GenerateDevelopment", "true");
        builder.UseSetting("Payments:Receipts:Certificate:Path", Path.Combine(Directory, "signer.pfx"));
        builder.UseSetting("Payments:Receipts:Certificate:Password", "test-only");
        builder.UseSetting("Payments:Providers:counter:Enabled", "true");
        builder.UseSetting("Payments:Providers:vietqr:Enabled", "true");
        builder.UseSetting("Payments:Providers:vietqr:Simulator", "true");
        builder.UseSetting("Payments:Providers:vietqr:Bin", "970436");
        builder.UseSetting("Payments:Providers:vietqr:AccountNumber", VietQrAccount);
        builder.UseSetting("Payments:Providers:vietqr:AccountName", "TRUNG TAM PVHCC");
        builder.UseSetting("Payments:Providers:vietqr:NotifySecret", NotifySecret);
        // Every request of the in-memory server comes from one unknown address: the limits are RateLimitTests' to lower.
        foreach (var section in new[] { "Public", "Callbacks", "SignIn" })
            builder.UseSetting($"Payments:RateLimits:{section}:PermitLimit", "1000000");
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            // Outbound calls (the simulated wallet's IPN, our calls to the simulators' APIs) reach this same in-memory server.
            if (!_live) s.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler()));
            if (_realSockets) s.AddHttpClient("provider:stripe").ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler());
            // Portal webhooks go to a receiver on a real local socket (WebhookReceiver).
            s.AddHttpClient(Features.Outbox.OutboxDispatcher.WebhooksClient).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler());
            foreach (var configure in _services) configure(s);
        });
    }

    public HttpClient Portal(string key = ApiKey)
    {
        var c = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return c;
    }

    public async Task<Features.Janitor.SweepReport> SweepAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Features.Janitor.Janitor>().RunOnceAsync(default);
    }

    /// <summary>One run of the outbox worker, as the background service would do it.</summary>
    public async Task<Features.Outbox.OutboxReport> DeliverAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Features.Outbox.OutboxDispatcher>().RunOnceAsync(default);
    }

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });

    public T Db<T>(Func<PaymentsDbContext, T> read)
    {
        using var scope = Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<PaymentsDbContext>());
    }

    /// <summary>A second portal client for another agency, for authorisation tests.</summary>
    public void AddOtherAgencyClient() => AddAgency("000.00.99.H99", "Other agency", OtherAgencyKey,
        [new Domain.Fees.FeeItem("OTHER-FEE", "Lệ phí khác", Domain.Fees.FeeKind.LePhi, Domain.Common.Money.Vnd(10_000), "—", "000.00.99.H99")]);

    /// <summary>
    /// An agency with a portal client of its own (key <paramref name="key"/>, <paramref name="scopes"/>), its fees and,
    /// when <paramref name="seriesLetters"/> is given, a receipt series. Does nothing if the agency exists.
    /// </summary>
    public void AddAgency(string code, string name, string key, IEnumerable<Domain.Fees.FeeItem> fees, string scopes = "portal",
        string? seriesLetters = null)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        if (db.Agencies.Any(a => a.Code == code)) return;
        db.Agencies.Add(new Agency { Code = code, Name = name, TaxCode = "0100000001" });
        db.ApiClients.Add(new ApiClient { Name = name + " portal", AgencyCode = code, KeyHash = ApiKeys.Hash(key), KeyPrefix = "pk_test_", Scopes = scopes });
        db.Fees.AddRange(fees);
        if (seriesLetters is not null) db.ReceiptSeries.Add(new Domain.Receipts.ReceiptSeries(code, templateSymbol: "01BLP0-001", seriesLetters));
        db.SaveChanges();
    }

    /// <summary>Runs a use case as the pages and endpoints do (validation and transaction behaviours included).</summary>
    public async Task<T> Send<T>(Mediator.ICommand<T> command)
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(command);
    }

    /// <summary>Adds a member of staff; an empty agency makes them province-wide.</summary>
    public void AddStaff(string email, string role, string agencyCode)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StaffUser>>();
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, FullName = "Test " + role, AgencyCode = agencyCode };
        var created = users.CreateAsync(user, StaffPassword).GetAwaiter().GetResult();
        if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        users.AddToRoleAsync(user, role).GetAwaiter().GetResult();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            try { PostgresDatabases.DropAsync(PostgresServer, _postgresDatabase).GetAwaiter().GetResult(); }
            catch (Npgsql.NpgsqlException) { }
        }
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Requests and signed wallet notifications as a portal and the wallet would send them.</summary>
public static class Wire
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static object OrderBody(string dossier = "000.00.12.H29-261123-0001", string fee = "GPLX-CAP", int quantity = 1,
        string idNumber = "001088012345", string channel = "online", string agency = ApiFactory.Agency) => new
    {
        dossierCode = dossier,
        procedureCode = "1.000105",
        agencyCode = agency,
        payer = new { fullName = "Nguyễn Văn An", idNumber, phone = "0912345678", email = "an@example.vn", address = "Hà Nội" },
        fees = new[] { new { feeCode = fee, quantity } },
        channel,
        returnUrl = "https://dichvucong.example.gov.vn/ho-so/1",
    };

    public static HttpRequestMessage CreateOrder(object body, string? idempotencyKey)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payment-orders") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) req.Headers.Add("Idempotency-Key", idempotencyKey);
        return req;
    }

    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>The wallet's IPN query string, signed with the test secret unless told otherwise.</summary>
    public static string Ipn(string txnRef, long walletAmount, string transactionNo, string response = "00", string status = "00",
        string secret = ApiFactory.Secret, string tmn = ApiFactory.TmnCode)
    {
        var p = new Dictionary<string, string>
        {
            ["vnp_TmnCode"] = tmn, ["vnp_Amount"] = walletAmount.ToString(), ["vnp_BankCode"] = "SANDBOX",
            ["vnp_BankTranNo"] = "B" + transactionNo, ["vnp_CardType"] = "WALLET", ["vnp_PayDate"] = "20261123150100",
            ["vnp_OrderInfo"] = "Thanh toan phi le phi", ["vnp_TransactionNo"] = transactionNo, ["vnp_ResponseCode"] = response,
            ["vnp_TransactionStatus"] = status, ["vnp_TxnRef"] = txnRef,
        };
        return WalletSignature.ToSignedQuery(p, secret);
    }
}
