using Sluice.Controllers;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// One run of <see cref="ControllerScenarios"/> for several tests: the embedded system with the controllers on a
/// recording API (leases and notifications in sluice-system, as the install runs them) and their health port scraped
/// by a real Prometheus from the start.
/// </summary>
public sealed class ScenarioRun : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>Every request the controllers (and the traffic routers) sent.</summary>
    public RecordingKubeApi Recorded { get; private set; } = null!;

    public WebhookReceiver Receiver { get; } = new();

    public TestPrometheus Prometheus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Only the recorded controllers: a second host (the default one, leading on its own lease) would make calls unseen.
        Cluster = await TestCluster.StartAsync(controllers: false);
        Recorded = new RecordingKubeApi(Cluster.Api);
        Cluster.StartControllers("scenarios", Recorded, o => o with
        {
            LeaseNamespace = InstallManifest.Namespace,
            NotificationsNamespace = InstallManifest.Namespace,
            HealthPort = 0,
        });
        var health = await Cluster.Host!.HealthStarted ?? throw new InvalidOperationException("no health endpoint");
        Prometheus = await TestPrometheus.StartAsync(health);
        await ControllerScenarios.RunAsync(Cluster, Receiver, Recorded);
    }

    public async Task DisposeAsync()
    {
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        Receiver.Dispose();
        await Cluster.DisposeAsync();
    }
}
