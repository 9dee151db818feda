using Microsoft.AspNetCore.Builder;
using Sluice.Controllers.Runtime;

namespace Sluice.Dashboard;

/// <summary>A dashboard being served. <see cref="Url"/> (with the token) is what a person opens.</summary>
public sealed class RunningDashboard : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ClusterCache cache;
    private readonly CancellationTokenSource stopping;
    private readonly IReadOnlyList<IDisposable> leases;
    private int stopped;

    internal RunningDashboard(Uri baseUrl, string token, WebApplication app, ClusterCache cache, CancellationTokenSource stopping, IReadOnlyList<IDisposable> leases)
    {
        BaseUrl = baseUrl;
        Token = token;
        this.app = app;
        this.cache = cache;
        this.stopping = stopping;
        this.leases = leases;
    }

    /// <summary>e.g. http://127.0.0.1:41234/ (refuses everything without the token).</summary>
    public Uri BaseUrl { get; }

    public string Token { get; }

    /// <summary>The URL to open: <c>http://127.0.0.1:PORT/?token=...</c>; the dashboard then keeps a session cookie.</summary>
    public string Url => $"{BaseUrl}?token={Uri.EscapeDataString(Token)}";

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync();
        try
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(grace.Token);
        }
        finally
        {
            await app.DisposeAsync();
            foreach (var lease in leases)
            {
                lease.Dispose();
            }

            await cache.DisposeAsync();
            stopping.Dispose();
        }
    }
}
