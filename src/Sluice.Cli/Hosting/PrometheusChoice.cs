namespace Sluice.Cli.Hosting;

/// <summary>Whether `sluice up` runs a Prometheus beside the plane, and how often it scrapes.</summary>
internal sealed record PrometheusChoice(PrometheusMode Mode, TimeSpan ScrapeInterval)
{
    public static readonly PrometheusChoice Off = new(PrometheusMode.Off, TimeSpan.FromSeconds(5));
}
