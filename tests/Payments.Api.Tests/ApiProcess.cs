using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Payments.Api.Tests;

/// <summary>
/// The real API as a child process, <c>dotnet Payments.Api.dll</c> from the test's own output, on 127.0.0.1 at a free
/// port, configured through its environment. The process is the server itself (the dotnet host runs the app in-process),
/// so <see cref="KillAsync"/> — SIGKILL on Linux — stops the server with no chance to flush or answer anything more.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;

    /// <summary>A client with the demo portal key (scopes portal and finance).</summary>
    public HttpClient Portal { get; }
    public int Id => _process.Id;
    /// <summary>How the process names itself as a lease holder (<see cref="Infrastructure.PeriodicWork.Node"/>).</summary>
    public string Node => $"{Environment.MachineName}:{_process.Id}";

    private ApiProcess(Process process, Task<string> errors, HttpClient portal) => (_process, _errors, Portal) = (process, errors, portal);

    /// <summary>
    /// What every test node needs, for a process working in <paramref name="dir"/>: the demo data with the test key, the
    /// sandbox wallet with the test secret, a development signing certificate, no janitor, a fast outbox, http webhooks.
    /// </summary>
    public static Dictionary<string, string> Settings(string dir) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Testing",
        ["Demo:Seed"] = "true", ["Demo:ApiKey"] = ApiFactory.ApiKey, ["Demo:StaffPassword"] = ApiFactory.StaffPassword,
        ["Payments:Providers:sandbox:Enabled"] = "true", ["Payments:Providers:sandbox:TmnCode"] = ApiFactory.TmnCode,
        ["Payments:Providers:sandbox:HashSecret"] = ApiFactory.Secret, ["Payments:Providers:sandbox:PayUrl"] = "/sandbox/wallet/pay",
        ["Payments:Receipts:Certificate:GenerateDevelopment"] = "true",
        ["Payments:Receipts:Certificate:Path"] = Path.Combine(dir, "signer.pfx"), ["Payments:Receipts:Certificate:Password"] = "test-only",
        ["Payments:Janitor:Enabled"] = "false",
        ["Payments:Outbox:Interval"] = "00:00:00.2", ["Payments:Webhooks:AllowHttp"] = "true",
    };

    /// <summary>Starts the API with <paramref name="settings"/> and waits until it is ready (store migrated, demo seeded).</summary>
    public static async Task<ApiProcess> StartAsync(string name, string dir, IReadOnlyDictionary<string, string> settings)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var bin = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(bin, "Payments.Api.dll")])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["ASPNETCORE_CONTENTROOT"] = bin;
        start.Environment["Payments__PublicBaseUrl"] = url;
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var node = new ApiProcess(process, process.StandardError.ReadToEndAsync(), new HttpClient
        {
            BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", ApiFactory.ApiKey) },
        });
        try
        {
            for (var i = 0; i < 240; i++)
            {
                if (process.HasExited) throw new InvalidOperationException($"Node {name} exited: {await node._errors}");
                try
                {
                    if ((await node.Portal.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return node;
                }
                catch (HttpRequestException) { }
                await Task.Delay(250);
            }
            throw new TimeoutException($"Node {name} did not become ready at {url}.");
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Linux), then waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        Portal.Dispose();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
