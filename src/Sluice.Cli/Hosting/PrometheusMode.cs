namespace Sluice.Cli.Hosting;

/// <summary>`--prometheus`: auto (when installed, the default), on (required), off.</summary>
internal enum PrometheusMode
{
    Auto,
    On,
    Off,
}
