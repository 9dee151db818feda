namespace Sluice.ControlPlane.Prometheus;

/// <summary>How to run a Prometheus server beside the plane.</summary>
public sealed record PrometheusOptions
{
    /// <summary>Where its config, its scrape targets and its TSDB live (e.g. &lt;data-dir&gt;/prometheus).</summary>
    public required string Directory { get; init; }

    /// <summary>The prometheus binary (default: the one on PATH, Debian's package).</summary>
    public string? Binary { get; init; }

    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long samples are kept (the analysis needs minutes, not weeks).</summary>
    public string Retention { get; init; } = "1d";
}
