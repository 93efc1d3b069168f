using System.Runtime.CompilerServices;

namespace Payments.Api.Tests;

internal static class TestEnvironment
{
    /// <summary>
    /// Many hosts start in one test run; each would watch its appsettings files with inotify, and Linux allows 128
    /// watchers per user. Tests never change configuration files, so hosts here do not watch them.
    /// </summary>
    [ModuleInitializer]
    internal static void DoNotWatchConfigurationFiles()
    {
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }
}
