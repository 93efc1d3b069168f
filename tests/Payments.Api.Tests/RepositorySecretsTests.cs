using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Payments.Api.Tests;

/// <summary>No secret is committed: private keys, certificates with keys, live provider keys, or configuration secrets
/// that are not plainly marked development-only.</summary>
public class RepositorySecretsTests
{
    private static IReadOnlyList<string> TrackedFiles()
    {
        var root = ApiFactory.RepoRoot();
        var git = Process.Start(new ProcessStartInfo("git", "ls-files -z") { WorkingDirectory = root, RedirectStandardOutput = true })!;
        var list = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        return list.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(f => Path.Combine(root, f)).Where(File.Exists).ToList();
    }

    private static readonly (string Name, Regex Pattern)[] Leaks =
    [
        ("private key", new Regex(@"-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")),
        ("Stripe live key", new Regex(@"\b[sr]k_live_[0-9A-Za-z]{10,}")),
        ("AWS access key", new Regex(@"\bAKIA[0-9A-Z]{16}\b")),
        ("GitHub token", new Regex(@"\bgh[pousr]_[0-9A-Za-z]{30,}")),
        ("Slack token", new Regex(@"\bxox[baprs]-[0-9A-Za-z-]{10,}")),
    ];

    [Fact]
    public void No_private_keys_certificates_or_live_tokens_are_committed()
    {
        var files = TrackedFiles();
        Assert.NotEmpty(files);
        Assert.DoesNotContain(files, f => Path.GetExtension(f).ToLowerInvariant() is ".pfx" or ".p12" or ".key" or ".pem");
        foreach (var file in files.Where(f => new FileInfo(f).Length < 5_000_000))
        {
            var text = File.ReadAllText(file);
            foreach (var (name, pattern) in Leaks)
                Assert.False(pattern.IsMatch(text), $"{name} in {Path.GetRelativePath(ApiFactory.RepoRoot(), file)}");
        }
    }

    [Fact]
    public void Secrets_in_committed_configuration_are_empty_or_marked_development_only()
    {
        var secretKey = new Regex("\"(?<key>[A-Za-z]*(Secret|Password|ApiKey|SecretKey|HashSecret|WebhookSecret)[A-Za-z]*)\"\\s*:\\s*\"(?<value>[^\"]*)\"");
        foreach (var file in TrackedFiles().Where(f => Path.GetFileName(f).StartsWith("appsettings") && f.EndsWith(".json")))
            foreach (Match m in secretKey.Matches(File.ReadAllText(file)))
            {
                var value = m.Groups["value"].Value;
                Assert.True(value.Length == 0 || Regex.IsMatch(value, "development|DEVELOPMENT|Demo-only|DEV", RegexOptions.None),
                    $"{m.Groups["key"].Value} in {Path.GetFileName(file)} is not marked development-only");
                if (value.Length > 0) Assert.Contains("Development", Path.GetFileName(file));
            }
    }
}
