using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Sluice.Cli.Hosting;
using Sluice.Cli.Output;
using Sluice.Controllers;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice controller</c>: runs the Application, AppRollout and AnalysisRun controllers against a cluster (a kubeconfig,
/// the embedded plane, or the in-cluster service account) until SIGINT or SIGTERM. Several may run; only the
/// holder of the Lease acts.
/// </summary>
internal static class ControllerCommand
{
    /// <summary>Uses the root's connection options; <c>-n</c> watches only that namespace (default: all).</summary>
    public static Command Create(ICliConsole console, ConnectionOptions connection)
    {
        var kubeconfig = connection.Kubeconfig;
        var ns = connection.Namespace;
        var workers = Options.Count("--workers", $"Reconciles at once (default {ControllerOptions.DefaultWorkers}).");
        var healthPort = Options.Count("--health-port", "Serve /healthz, /readyz and /metrics (Prometheus) at this port.");
        var healthAddress = Options.Address("--health-address", "Where the health port listens (default 127.0.0.1; 0.0.0.0 in a pod).");
        var notificationsNamespace = new Option<string?>("--notifications-namespace")
        {
            Description = $"Where the notification services are configured (ConfigMap sluice-notifications; default {ControllerOptions.DefaultNotificationsNamespace}).",
        };
        var leaseNamespace = new Option<string?>("--lease-namespace") { Description = "Where the leader-election Lease lives (default kube-system)." };
        var leaseDuration = Options.Duration("--lease-duration", "How long a leader's Lease lasts without renewal: a candidate takes over this long after a leader dies (default 15s).", TimeSpan.FromSeconds(1));
        var identity = new Option<string?>("--identity") { Description = "This process's name in the Lease and on the Events it records (default HOST-PID)." };
        var pollInterval = Options.Duration("--poll-interval", "For comparison benchmarks: ignore watch events of workloads and re-examine every rollout on this fixed timer, as KubeVela's AppRollout did (5s).", TimeSpan.FromMilliseconds(1));
        var prometheusAddress = new Option<Uri?>("--prometheus-address")
        {
            Description = "The Prometheus that metrics without an address query, e.g. http://prometheus.istio-system:9090.",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                {
                    return uri;
                }

                result.AddError($"--prometheus-address: \"{text}\" is not an http or https URL");
                return null;
            },
        };
        var noConfigTracking = new Option<bool>("--no-config-tracking")
        {
            Description = "Do not make a new revision when a ConfigMap or Secret the pods read changes: the controller then neither watches nor copies them (docs/user-guide.md, config tracking).",
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every intent applied." };
        var command = new Command("controller", "Run the Sluice controllers against a cluster until stopped.")
        {
            workers, healthPort, healthAddress, notificationsNamespace, leaseNamespace, leaseDuration, identity, pollInterval, prometheusAddress, noConfigTracking, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ControllerOptions
            {
                Namespace = parse.GetValue(ns),
                Workers = parse.GetValue(workers) is { } w and > 0 ? w : ControllerOptions.DefaultWorkers,
                HealthPort = parse.GetValue(healthPort),
                HealthAddress = parse.GetValue(healthAddress) ?? System.Net.IPAddress.Loopback,
                NotificationsNamespace = parse.GetValue(notificationsNamespace) is { Length: > 0 } notifications ? notifications : ControllerOptions.DefaultNotificationsNamespace,
                LeaseNamespace = parse.GetValue(leaseNamespace) ?? "kube-system",
                PollInterval = parse.GetValue(pollInterval),
                PrometheusAddress = parse.GetValue(prometheusAddress),
                ConfigTracking = !parse.GetValue(noConfigTracking),
            };
            if (parse.GetValue(leaseDuration) is { } duration)
            {
                options = options with { LeaseDuration = duration };
            }

            if (parse.GetValue(identity) is { Length: > 0 } name)
            {
                options = options with { Identity = name };
            }

            return await RunAsync(parse.GetValue(kubeconfig), parse.GetValue(connection.Context), options, parse.GetValue(verbose), console, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string? kubeconfig, string? context, ControllerOptions options, bool verbose, ICliConsole console, CancellationToken cancellationToken)
    {
        k8s.KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubeConnection.Configuration(kubeconfig, context);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException)
        {
            await console.Error.WriteLineAsync($"error: no cluster to talk to: {e.Message}");
            return ExitCodes.Unavailable;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; stop.Cancel(); });
        using var loggers = Logging.ToStderr(verbose ? LogLevel.Debug : LogLevel.Information);
        using var webhooks = new HttpClient();
        var host = new ControllerHost(KubeConnection.Api(configuration), webhooks, options, TimeProvider.System, loggers);
        await console.Error.WriteLineAsync($"Sluice controller {SluiceVersion.Current} ({options.Identity}) against {configuration.Host}{(options.Namespace is null ? "" : $" (namespace {options.Namespace})")}");
        var running = host.RunAsync(stop.Token);
        // Tests and scripts wait for this line: probes and /metrics answer from now on.
        if (await Task.WhenAny(host.HealthStarted, running) == host.HealthStarted && host.HealthStarted.IsCompletedSuccessfully && host.HealthStarted.Result is { } url)
        {
            await console.Error.WriteLineAsync($"health and metrics: {url}metrics");
        }

        try
        {
            await running;
        }
        catch (IOException e)
        {
            await console.Error.WriteLineAsync($"error: --health-port {options.HealthPort}: {e.Message}");
            return ExitCodes.Unavailable;
        }

        return ExitCodes.Success;
    }
}
