using System.Diagnostics;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>A private tmux server (its own socket) running one command in a pane of a fixed size, for terminal tests.</summary>
public sealed class Tmux : IAsyncDisposable
{
    private readonly string socket = "sluice-test-" + Guid.NewGuid().ToString("N")[..12];

    private Tmux()
    {
    }

    /// <summary>Starts <paramref name="shellCommand"/> in a detached session of <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static async Task<Tmux> StartAsync(string shellCommand, int width, int height)
    {
        var tmux = new Tmux();
        await tmux.RunAsync("new-session", "-d", "-s", "main", "-x", $"{width}", "-y", $"{height}", shellCommand);
        return tmux;
    }

    /// <summary>What the pane shows now, line by line.</summary>
    public Task<string> CaptureAsync() => RunAsync("capture-pane", "-p", "-t", "main");

    public async ValueTask DisposeAsync() => await RunAsync("kill-server");

    private async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(socket);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("TMUX");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("tmux did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0 || args[0] == "kill-server"
            ? await stdout
            : throw new InvalidOperationException($"tmux {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
    }
}
