using System.Diagnostics;

namespace Sluice.Cli.Hosting;

/// <summary>Opens a URL in the person's browser when there is one to open (a desktop session), else does nothing.</summary>
internal static class Browser
{
    /// <summary>The opener used, or null when there is no display or no opener.</summary>
    public static string? TryOpen(string url)
    {
        string? opener = OperatingSystem.IsMacOS() ? "open"
            : OperatingSystem.IsLinux() && (Environment.GetEnvironmentVariable("DISPLAY") is { Length: > 0 } || Environment.GetEnvironmentVariable("WAYLAND_DISPLAY") is { Length: > 0 }) ? "xdg-open"
            : null;
        if (opener is null)
        {
            return null;
        }

        try
        {
            var start = new ProcessStartInfo(opener) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(url);
            using var process = Process.Start(start);
            return process is null ? null : opener;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
