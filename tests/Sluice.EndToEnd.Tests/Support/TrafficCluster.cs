using Sluice.Controllers.Traffic;
using Sluice.Controllers.Workloads;
using Sluice.Core.Engine;
using Sluice.Simulator.Traffic;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// A <see cref="TestCluster"/> with the simulated data plane running on real time beside it: clients send as their Services'
/// annotations ask, and <see cref="Report"/> says what happened. <see cref="StepAsync"/> applies traffic intents through the
/// routers (as the reconciler will) and lets the clients send a given number of requests with the result.
/// </summary>
public sealed class TrafficCluster : IAsyncDisposable
{
    private TrafficCluster(TestCluster cluster, DataPlane traffic)
    {
        Cluster = cluster;
        Traffic = traffic;
        Routers = new TrafficRouters(new WorkloadPatcher(cluster.Api));
    }

    public TestCluster Cluster { get; }

    public DataPlane Traffic { get; }

    public TrafficRouters Routers { get; }

    /// <param name="controllers">Run the Sluice controllers too (the engine's end-to-end tests); off to drive the routers directly.</param>
    public static async Task<TrafficCluster> StartAsync(bool controllers = false, string podReadyDelay = "50ms..150ms")
    {
        var cluster = await TestCluster.StartAsync(podReadyDelay, controllers);
        var traffic = await DataPlane.StartAsync(cluster.Plane.Store, new DataPlaneOptions(TimeSpan.FromMilliseconds(50)), TimeProvider.System);
        return new TrafficCluster(cluster, traffic);
    }

    public TrafficReport Report() => Traffic.Report();

    /// <summary>Applies <paramref name="intents"/> through the routers, then waits until the clients sent <paramref name="requests"/> more with it in place.</summary>
    public async Task StepAsync(TrafficTarget target, IReadOnlyList<TrafficIntent> intents, string population, long requests = 400)
    {
        await Routers.ApplyAsync(target, intents, CancellationToken.None);
        await SendAsync(population, requests);
    }

    /// <summary>
    /// Waits until the data plane sees the store as it is now, then until <paramref name="requests"/> more requests were sent.
    /// Returns the data plane's time once it saw the store: segments that end after it carry what the store holds now.
    /// </summary>
    public async Task<DateTimeOffset> SendAsync(string population, long requests)
    {
        await Traffic.CatchUpAsync();
        var since = Report().Time;
        var (ns, name) = Split(population);
        var start = Report().Population(ns, name)?.Counts.Sent ?? 0;
        await Eventually.WaitUntil(() => (Report().Population(ns, name)?.Counts.Sent ?? 0) >= start + requests, TimeSpan.FromSeconds(60),
            $"{requests} more requests from the clients of {population}");
        return since;
    }

    /// <summary>Waits until <paramref name="ready"/> pods labelled <paramref name="selector"/> are Ready.</summary>
    public Task WaitForReadyPodsAsync(string selector, int ready) =>
        Eventually.WaitUntil(() => Cluster.Plane.Store.List(new("", "pods"), "default", Sluice.ControlPlane.Store.ObjectFilter.Parse(selector, null)).Items
            .Count(p => p["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.GetValue<string>() == "Ready" && c?["status"]?.GetValue<string>() == "True") == true) >= ready,
            TimeSpan.FromSeconds(60), $"{ready} ready pods {selector}");

    public async ValueTask DisposeAsync()
    {
        await Traffic.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    private static (string Ns, string Name) Split(string population) =>
        population.IndexOf('/', StringComparison.Ordinal) is var at and > 0 ? (population[..at], population[(at + 1)..]) : ("default", population);
}
