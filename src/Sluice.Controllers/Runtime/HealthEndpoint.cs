using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Sluice.Controllers.Metrics;

namespace Sluice.Controllers.Runtime;

/// <summary>
/// The controller's health port: <c>/healthz</c> and <c>/livez</c> (the process answers), <c>/readyz</c> (leading or a
/// candidate) for probes, and <c>/metrics</c>, the <see cref="SluiceMetrics"/> in Prometheus' text format through
/// OpenTelemetry's exporter. Kestrel, not <see cref="HttpListener"/>: on Linux its Start() throws when a probe connects
/// while it is starting (dotnet/corefx#35191), which a controller probed from its first moment hits.
/// </summary>
public sealed class HealthEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;

    private HealthEndpoint(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    /// <summary>The base URL (http://ADDRESS:PORT/), with the port chosen when 0 was asked for.</summary>
    public Uri Url { get; }

    /// <summary>Listens on <paramref name="address"/>:<paramref name="port"/> (0: a free port).</summary>
    /// <param name="state">The controller's state: ready while "leading" or "candidate".</param>
    public static async Task<HealthEndpoint> StartAsync(IPAddress address, int port, Func<string> state, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(address, port));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("sluice-controller", serviceVersion: SluiceVersion.Current))
            .WithMetrics(metrics => metrics.AddMeter(SluiceMetrics.MeterName).AddPrometheusExporter());
        var app = builder.Build();
        foreach (var path in (string[])["/healthz", "/livez", "/readyz"])
        {
            app.MapGet(path, (HttpContext context) =>
            {
                var (code, body) = Answer(path, state());
                return Results.Text(body + "\n", "text/plain; charset=utf-8", statusCode: code);
            });
        }

        app.MapPrometheusScrapingEndpoint("/metrics");
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the health endpoint did not say where it listens");
        var boundPort = new Uri(bound).Port;
        // A wildcard listener is reached through loopback from this host.
        var host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : address.ToString();
        return new HealthEndpoint(app, new UriBuilder("http", host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host, boundPort).Uri);
    }

    /// <summary>The status and body for a path (pure; exposed for tests).</summary>
    public static (int Code, string Body) Answer(string? path, string state) => path switch
    {
        "/healthz" or "/livez" => (200, "ok"),
        "/readyz" => state is "leading" or "candidate" ? (200, state) : (503, state),
        _ => (404, "not found"),
    };

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await app.DisposeAsync();
    }
}
