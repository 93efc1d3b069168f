using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Payments.Api.Tests;

namespace Payments.Browser.Tests;

/// <summary>
/// The real service on a real socket on 127.0.0.1 and Debian's Chromium driven by Playwright (its own browser
/// download is never used). A missing Chromium fails the tests under CI (test.sh installs it as root) and is
/// reported plainly elsewhere.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public ApiFactory Api { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException("Chromium is missing at /usr/bin/chromium: apt-get install chromium (./test.sh does this when run as root).");
        var port = FreePort();
        Api = new ApiFactory().Live(port);
        Api.StartServer();
        BaseUrl = $"http://127.0.0.1:{port}";
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> NewPageAsync(int width = 1200, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new() { Width = width, Height = height }, Locale = "vi-VN" });
        return await context.NewPageAsync();
    }

    /// <summary>Saves a screenshot for docs/screenshots when SCREENSHOTS=1 (kept out of normal runs).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("SCREENSHOTS") != "1") return;
        var dir = Path.Combine(RepoRoot(), "docs", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Payments.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        Api?.Dispose();
    }
}
