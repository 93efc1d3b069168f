using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Payments.Api.Tests;

public class OperationsTests : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api;

    public OperationsTests(ApiFactory api) => _api = api;

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer(string path) =>
        Assert.Equal(HttpStatusCode.OK, (await _api.Anonymous().GetAsync(path)).StatusCode);

    [Fact]
    public async Task The_openapi_document_describes_the_contract()
    {
        var doc = await (await _api.Anonymous().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        foreach (var path in new[] { "/api/v1/payment-orders", "/api/v1/payment-orders/{id}/attempts", "/api/v1/fees", "/api/v1/ledger/trial-balance", "/api/v1/receipts/{id}" })
            Assert.Contains($"\"{path}\"", doc);
    }

    [Fact]
    public async Task The_interactive_docs_page_is_served_from_this_service_with_no_cdn()
    {
        var client = _api.Anonymous();
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/docs")).StatusCode);
        var page = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("scalar.js", html);
        Assert.DoesNotContain("cdn.", html);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs/scalar.js")).StatusCode);
    }

    [Fact]
    public void The_store_is_migrated_and_durable()
    {
        Assert.Empty(_api.Db(db => db.Database.GetPendingMigrations().ToList()));
        Assert.NotEmpty(_api.Db(db => db.Database.GetAppliedMigrations().ToList()));
        // The context the host hands out names the store of the provider it was wired with.
        Assert.Equal(ApiFactory.OnPostgres ? Infrastructure.Persistence.StoreKind.Postgres : Infrastructure.Persistence.StoreKind.Sqlite,
            _api.Db(db => db.Store));
        if (ApiFactory.OnPostgres)
        {
            Assert.True(_api.Db(db => db.Database.IsNpgsql()));
            return;
        }
        Assert.Equal("wal", _api.Db(db => db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").AsEnumerable().Single()));
        // 2 = FULL, set on every connection by the interceptor.
        Assert.Equal(2, _api.Db(db => db.Database.SqlQueryRaw<int>("PRAGMA synchronous").AsEnumerable().Single()));
        Assert.True(File.Exists(_api.DatabasePath));
    }

    /// <summary>Each store has its own migrations; none may lag behind the model (no database needed to tell).</summary>
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    [InlineData("sqlserver")]
    public void Every_model_change_has_its_migration_on_every_store(string store)
    {
        using var db = Contexts.For(store);
        Assert.False(db.Database.HasPendingModelChanges(),
            $"run: dotnet ef migrations add <Name> --context {db.GetType().Name} --output-dir Infrastructure/Persistence/Migrations/<Store>");
    }

    /// <summary>The store a context says it is for (read instead of EF's provider name, which costs on every call) is its provider's.</summary>
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    [InlineData("sqlserver")]
    public void Each_context_type_names_the_store_of_its_provider(string store)
    {
        using var db = Contexts.For(store);
        Assert.Equal(db.Database.IsSqlite(), db.Store == Infrastructure.Persistence.StoreKind.Sqlite);
        Assert.Equal(db.Database.IsNpgsql(), db.Store == Infrastructure.Persistence.StoreKind.Postgres);
        Assert.Equal(db.Database.IsSqlServer(), db.Store == Infrastructure.Persistence.StoreKind.SqlServer);
    }

    /// <summary>
    /// SQLite starts from a compiled model (half a second less start-up); it must describe exactly what the configuration
    /// builds. When this fails, run in src/Payments.Api: <c>dotnet ef dbcontext optimize --context SqlitePaymentsDbContext
    /// --output-dir Infrastructure/Persistence/CompiledModels/Sqlite --namespace Payments.Api.Infrastructure.Persistence.CompiledModels.Sqlite</c>.
    /// </summary>
    [Fact]
    public void The_compiled_sqlite_model_matches_the_configuration()
    {
        using var built = Contexts.For("sqlite");
        var compiled = Infrastructure.Persistence.CompiledModels.Sqlite.SqlitePaymentsDbContextModel.Instance;
        using var runtime = new Infrastructure.Persistence.SqlitePaymentsDbContext(new DbContextOptionsBuilder<Infrastructure.Persistence.SqlitePaymentsDbContext>()
            .UseSqlite("Data Source=:memory:").UseModel(compiled).Options);
        var expected = built.GetService<Microsoft.EntityFrameworkCore.Metadata.IDesignTimeModel>().Model.GetRelationalModel().ToDebugString();
        var actual = runtime.Model.GetRelationalModel().ToDebugString();
        Assert.True(expected == actual, "CompiledModels/Sqlite is stale: regenerate it (see this test's summary).");
    }

    /// <summary>What a DBA applies to SQL Server (no server runs here): an idempotent script of every migration.</summary>
    [Fact]
    public void Sql_server_gets_an_idempotent_migration_script()
    {
        using var db = Contexts.For("sqlserver");
        var script = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>()
            .GenerateScript(options: Microsoft.EntityFrameworkCore.Migrations.MigrationsSqlGenerationOptions.Idempotent);
        Assert.Contains("IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL", script);
        Assert.Contains("IF NOT EXISTS", script); // each migration runs only if the history lacks it
        Assert.Contains("CREATE TABLE [PaymentOrders]", script);
        Assert.Contains("UX_Receipts_OneValidPerOrder", script);
        Assert.Contains("datetimeoffset", script);
    }

    /// <summary>
    /// The scripts a DBA applies are committed under deploy/ and must match the migrations:
    /// <c>dotnet ef migrations script --idempotent --context SqlServerPaymentsDbContext -o ../../deploy/sqlserver/migrations.sql</c>
    /// (and the same for PostgresPaymentsDbContext into deploy/postgres), run in src/Payments.Api.
    /// </summary>
    [Theory]
    [InlineData("sqlserver")]
    [InlineData("postgres")]
    public void The_committed_migration_scripts_are_current(string store)
    {
        using var db = Contexts.For(store);
        var script = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>()
            .GenerateScript(options: Microsoft.EntityFrameworkCore.Migrations.MigrationsSqlGenerationOptions.Idempotent);
        var committed = File.ReadAllText(Path.Combine(ApiFactory.RepoRoot(), "deploy", store, "migrations.sql"));
        static string Normal(string s) => s.Replace("\r\n", "\n").Trim();
        Assert.True(Normal(committed) == Normal(script), $"deploy/{store}/migrations.sql is stale: regenerate it (see this test's summary).");
    }

    [Fact]
    public void Api_keys_are_stored_hashed()
    {
        var stored = _api.Db(db => db.ApiClients.Select(c => c.KeyHash).ToList());
        Assert.DoesNotContain(ApiFactory.ApiKey, stored);
        Assert.Contains(Infrastructure.Auth.ApiKeys.Hash(ApiFactory.ApiKey), stored);
    }
}

internal static class Contexts
{
    public static Infrastructure.Persistence.PaymentsDbContext For(string store) => store switch
    {
        "postgres" => new Infrastructure.Persistence.PostgresPaymentsDbContext(new DbContextOptionsBuilder<Infrastructure.Persistence.PostgresPaymentsDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=model_only").Options),
        "sqlserver" => new Infrastructure.Persistence.SqlServerPaymentsDbContext(new DbContextOptionsBuilder<Infrastructure.Persistence.SqlServerPaymentsDbContext>()
            .UseSqlServer("Server=localhost;Database=model_only;Trusted_Connection=True").Options),
        _ => new Infrastructure.Persistence.SqlitePaymentsDbContext(new DbContextOptionsBuilder<Infrastructure.Persistence.SqlitePaymentsDbContext>()
            .UseSqlite("Data Source=:memory:").Options),
    };
}
