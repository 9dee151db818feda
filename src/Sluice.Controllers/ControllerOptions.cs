using System.Net;

namespace Sluice.Controllers;

/// <summary>How the controllers run.</summary>
public sealed record ControllerOptions
{
    /// <summary>Watch one namespace; null watches all.</summary>
    public string? Namespace { get; init; }

    /// <summary>Reconciles running at once (each key has at most one).</summary>
    public int Workers { get; init; } = DefaultWorkers;

    /// <summary>Reconciles are mostly waiting on the API server; 8 keep a burst of new rollouts from delaying those under way.</summary>
    public const int DefaultWorkers = 8;

    public string LeaseNamespace { get; init; } = "kube-system";

    public string LeaseName { get; init; } = "sluice-controller";

    public string Identity { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Serve /healthz, /readyz and /metrics at this port (0: a free one); null: no endpoint.</summary>
    public int? HealthPort { get; init; }

    /// <summary>Where the health port listens: loopback by default; 0.0.0.0 in a pod, for the kubelet's probes and Prometheus.</summary>
    public IPAddress HealthAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Where the notification services (ConfigMap sluice-notifications, Secret sluice-notifications-secret) live.</summary>
    public string NotificationsNamespace { get; init; } = DefaultNotificationsNamespace;

    public const string DefaultNotificationsNamespace = "sluice-system";

    /// <summary>
    /// Config tracking (docs/user-guide.md): a change of a ConfigMap or Secret a component's pods read makes a new revision.
    /// It watches every ConfigMap and Secret of the namespaces served; off, the workloads read them by their own names and
    /// the controller needs no access to them outside its notification settings.
    /// </summary>
    public bool ConfigTracking { get; init; } = true;

    /// <summary>AnalysisRun reconciles at once (on their own queue, so measuring never delays a rollout's next step).</summary>
    public int AnalysisWorkers { get; init; } = 16;

    /// <summary>Metric provider calls (Prometheus, web) in flight at once across every AnalysisRun.</summary>
    public int ProviderConcurrency { get; init; } = Analysis.ProviderHttp.DefaultMaxConcurrent;

    /// <summary>The Prometheus a metric without an address queries (`sluice up` passes its own).</summary>
    public Uri? PrometheusAddress { get; init; }

    /// <summary>
    /// For comparison benchmarks only: ignore watch events of workloads and look at every rollout on a fixed
    /// timer, as KubeVela's AppRollout did (every 5 seconds).
    /// </summary>
    public TimeSpan? PollInterval { get; init; }
}
