namespace Sluice.Core.Api;

/// <summary>Any HTTP endpoint that answers JSON; <see cref="JsonPath"/> picks the value.</summary>
public sealed record WebMetric
{
    /// <summary>A template, like a Prometheus query.</summary>
    public string? Url { get; init; }

    /// <summary>GET (default), POST or PUT.</summary>
    public WebMetricMethod? Method { get; init; }

    /// <summary>Request headers; values are templates.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Request body (POST, PUT); a template.</summary>
    public string? Body { get; init; }

    /// <summary>e.g. <c>$.data.successRate</c> or <c>{.data.values[*]}</c>; absent: the whole document.</summary>
    public string? JsonPath { get; init; }

    /// <summary>How long one call may take (default 10).</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Credentials: a bearer token or basic auth, and a CA, from a Secret.</summary>
    public SecretReference? SecretRef { get; init; }

    /// <summary>Accept any TLS certificate (a test server; never in production).</summary>
    public bool? InsecureSkipVerify { get; init; }
}
