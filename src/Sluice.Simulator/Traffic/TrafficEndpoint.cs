using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sluice.Simulator.Traffic;

/// <summary>
/// The data plane's results over plain HTTP on a loopback port, for Prometheus, scripts and the CLI: <c>/metrics</c>
/// (Istio's metrics, Prometheus text format) and <c>/traffic</c> (the <see cref="TrafficReport"/> as JSON).
/// </summary>
public sealed class TrafficEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;

    private TrafficEndpoint(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseUrl { get; }

    public Uri MetricsUrl => new(BaseUrl, "metrics");

    public Uri TrafficUrl => new(BaseUrl, "traffic");

    /// <summary>Serves <paramref name="plane"/> on 127.0.0.1:<paramref name="port"/> (0: a free port).</summary>
    public static async Task<TrafficEndpoint> StartAsync(DataPlane plane, int port = 0, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(plane);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            switch (context.Request.Path.Value)
            {
                case "/metrics":
                    var text = new StringWriter();
                    plane.WriteMetrics(text);
                    context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    await context.Response.WriteAsync(text.ToString(), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
                    break;
                case "/traffic":
                    context.Response.ContentType = "application/json; charset=utf-8";
                    await context.Response.WriteAsync(plane.Report().ToJson(), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
                    break;
                default:
                    context.Response.StatusCode = 404;
                    await context.Response.WriteAsync("Sluice simulated data plane: /metrics (Istio's metrics), /traffic (per-revision counts, JSON)\n", context.RequestAborted).ConfigureAwait(false);
                    break;
            }
        });
        await app.StartAsync(cancel).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TrafficEndpoint(app, new Uri($"http://127.0.0.1:{new Uri(bound).Port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The owner (the CLI, a test) has the process's signals; the host starts and stops when told.</summary>
    private sealed class OwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
