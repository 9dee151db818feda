using System.Diagnostics;
using k8s;
using Sluice.Controllers.Kube;

namespace Sluice.Bench.Common;

/// <summary>
/// <c>sluice up</c> (the API server and the simulator, no controllers) as its own process, so that a benchmark can
/// kill it as a crash would (SIGKILL: no shutdown, nothing flushed) and start it again on the same data directory
/// and port. Everything the benchmark does to it goes through its API, as any client's would. Its log goes to a file.
/// </summary>
public sealed class PlaneProcess : IDisposable
{
    private const string KubeconfigLine = "kubeconfig: ";
    private readonly Process process;
    private readonly string logPath;
    private readonly TaskCompletionSource<string> kubeconfig = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PlaneProcess(Process process, string logPath)
    {
        this.process = process;
        this.logPath = logPath;
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The kubeconfig it wrote (once <see cref="StartAsync"/> has returned).</summary>
    public string KubeconfigPath { get; private set; } = "";

    /// <summary>A client of its API built from that kubeconfig.</summary>
    public KubeApi Api { get; private set; } = null!;

    /// <summary>
    /// Starts <c>sluice up --no-controllers --data-dir DIR --port PORT</c> plus <paramref name="extra"/>, and returns once
    /// it serves: it has printed its kubeconfig line (printed after everything is up) and a request through that
    /// kubeconfig succeeds.
    /// </summary>
    public static async Task<PlaneProcess> StartAsync(string sluiceDll, string dataDir, int port, string logPath, TimeSpan timeout, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { sluiceDll, "up", "--no-controllers", "--data-dir", dataDir, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(extra))
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var plane = new PlaneProcess(process, logPath);
        ChildOutput.Pipe(process, logPath, line =>
        {
            if (line.StartsWith(KubeconfigLine, StringComparison.Ordinal))
            {
                plane.kubeconfig.TrySetResult(line[KubeconfigLine.Length..].Trim());
            }
        });
        try
        {
            await plane.WaitServingAsync(timeout);
            return plane;
        }
        catch
        {
            plane.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: the process dies at once, wherever it was; what it had not made durable is gone.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public string LogTail(int lines) => File.Exists(logPath) ? string.Join('\n', File.ReadLines(logPath).TakeLast(lines)) : "";

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
        process.Dispose();
    }

    private async Task WaitServingAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var exited = process.WaitForExitAsync();
        using (var wait = new CancellationTokenSource(timeout))
        {
            var said = kubeconfig.Task.WaitAsync(wait.Token);
            try
            {
                if (await Task.WhenAny(said, exited) != said)
                {
                    throw new InvalidOperationException($"sluice up exited ({process.ExitCode}) before serving:\n{LogTail(20)}");
                }
                KubeconfigPath = await said;
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"sluice up did not serve within {timeout.TotalSeconds:F0} s:\n{LogTail(20)}");
            }
        }
        Api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        var probe = new ResourceKind("", "v1", "Namespace", "namespaces", Namespaced: false);
        while (true)
        {
            try
            {
                await Api.GetAsync(probe, null, "default", CancellationToken.None);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or KubeApiException && clock.Elapsed < timeout && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }
}
