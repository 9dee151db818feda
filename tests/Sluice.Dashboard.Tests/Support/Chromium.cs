using System.Diagnostics;
using Microsoft.Playwright;

namespace Sluice.Dashboard.Tests.Support;

/// <summary>
/// Debian's chromium, installed with apt when missing (Playwright's own browser download cannot work here), launched
/// headless by Playwright with the flags a root, offline machine needs.
/// </summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private static readonly SemaphoreSlim Installing = new(1, 1);

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        await EnsureInstalledAsync();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Path, Headless = true, Args = Flags });
    }

    private static async Task EnsureInstalledAsync()
    {
        await Installing.WaitAsync();
        try
        {
            if (File.Exists(Path))
            {
                return;
            }

            await RunAsync("apt-get", "update", "-qq");
            await RunAsync("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium");
            if (!File.Exists(Path))
            {
                throw new InvalidOperationException($"chromium is not at {Path} and apt-get could not install it (apt-get install chromium)");
            }
        }
        finally
        {
            Installing.Release();
        }
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(limit.Token);
        await output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await error}");
        }
    }
}
