namespace Sluice.Core.Api;

/// <summary>
/// A PromQL query over Prometheus' HTTP API. Without <see cref="Step"/> an instant query at the measurement's
/// time; with it, a range query over the last <c>interval</c> with that step (the judge's samples).
/// </summary>
public sealed record PrometheusMetric
{
    /// <summary>e.g. http://prometheus.istio-system:9090; absent: the controller's default (`sluice up`'s own Prometheus).</summary>
    public string? Address { get; init; }

    /// <summary>PromQL, a template: <c>{{namespace}}</c>, <c>{{targetRevision}}</c>, <c>{{args.NAME}}</c>, ...</summary>
    public string? Query { get; init; }

    /// <summary>Range query resolution, e.g. "15s"; a judge defaults it to a twentieth of the interval.</summary>
    public string? Step { get; init; }

    /// <summary>Credentials: a bearer token or basic auth, and a CA, from a Secret.</summary>
    public SecretReference? SecretRef { get; init; }

    /// <summary>Accept any TLS certificate (a test server; never in production).</summary>
    public bool? InsecureSkipVerify { get; init; }

    /// <summary>How long one query may take (default 10).</summary>
    public int? TimeoutSeconds { get; init; }
}
