using System.Text.Json.Nodes;
using k8s;
using Sluice.ControlPlane;
using Sluice.Controllers.Kube;
using Sluice.Dashboard.Tests.Support;
using Sluice.Manifests;
using Sluice.Testing;
using static Microsoft.Playwright.Assertions;

namespace Sluice.Dashboard.Tests.Browser;

/// <summary>
/// <c>sluice dashboard --kubeconfig</c> as a user runs it, against a plane that stops and starts again on its data
/// directory (same URL, token and CA): the page's event stream stays open, says the cluster is away while it is,
/// and shows what changed once the plane is back (the informers list again).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlaneRestartTests(DashboardFixture fixture) : IAsyncLifetime
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "sluice-dashboard-restart-" + Guid.NewGuid().ToString("N"));
    private RunningControlPlane? plane;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EventStream_WhenThePlaneRestarts_SaysSoAndShowsChangesAfterwards()
    {
        // Given a plane with a rollout at batch 1 of 3, and `sluice dashboard` against it, open on the rollout
        plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0 }, TimeProvider.System);
        await WriteRolloutAsync(Api(), "rollingInBatches", 0);
        using var dashboard = SluiceProcess.Start("sluice dashboard", "dashboard", "--kubeconfig", plane.KubeconfigPath);
        var line = await dashboard.WaitForLineAsync("Sluice dashboard for all namespaces: ", TimeSpan.FromSeconds(60));
        var url = line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim();
        var page = await (await fixture.Browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(url);
        await page.GotoAsync(new Uri(new Uri(url), "/rollouts/default/restart").ToString());
        await Expect(page.Locator("#summary [data-batch]")).ToHaveTextAsync("1/3");
        await Expect(page.Locator("#connection")).ToContainTextAsync("live");

        // When the plane stops, Then the page says the dashboard is not in step with the cluster
        await plane.StopAsync();
        await Expect(page.Locator("#connection")).ToContainTextAsync("Not in step with the cluster");

        // When it starts again and the rollout moves meanwhile, Then the same page shows it, live again
        plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0 }, TimeProvider.System);
        await WriteRolloutAsync(Api(), "rollingInBatches", 1);
        await Expect(page.Locator("#summary [data-batch]")).ToHaveTextAsync("2/3");
        await Expect(page.Locator("#connection")).ToContainTextAsync("live");
        await WriteRolloutAsync(Api(), "rolloutSucceed", 2);
        await Expect(page.Locator("#summary [data-rolling-state]")).ToHaveAttributeAsync("data-rolling-state", "rolloutSucceed");
        (await page.EvaluateAsync<string>("() => document.body.dataset.stream_state")).ShouldBe("open");

        dashboard.Stop(TimeSpan.FromSeconds(15));
        dashboard.ExitCode.ShouldBe(0, dashboard.Stderr);
    }

    private KubeApi Api() => KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(plane!.KubeconfigPath));

    /// <summary>Creates (or updates) AppRollout default/restart of 5 pods in 3 batches, with this status.</summary>
    private static async Task WriteRolloutAsync(KubeApi api, string state, int batch)
    {
        var stored = await api.GetAsync(ResourceKind.AppRollout, "default", "restart", CancellationToken.None)
            ?? await api.CreateAsync(ResourceKind.AppRollout, "default", (JsonObject)YamlJson.Parse("""
                apiVersion: core.oam.dev/v1beta1
                kind: AppRollout
                metadata:
                  name: restart
                  namespace: default
                spec:
                  sourceAppRevisionName: app-v1
                  targetAppRevisionName: app-v2
                  rolloutPlan:
                    rolloutBatches:
                      - replicas: 1
                      - replicas: 2
                      - replicas: 2
                """)!, CancellationToken.None);
        stored["status"] = YamlJson.Parse($"""
            rollingState: {state}
            batchRollingState: batchVerifying
            currentBatch: {batch}
            LastSourceAppRevision: app-v1
            lastTargetAppRevision: app-v2
            rolloutOriginalSize: 5
            rolloutTargetSize: 5
            upgradedReplicas: {new[] { 1, 3, 5 }[batch]}
            upgradedReadyReplicas: {new[] { 0, 1, 5 }[batch]}
            """);
        await api.ReplaceStatusAsync(ResourceKind.AppRollout, "default", stored, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (plane is not null)
        {
            await plane.DisposeAsync();
        }

        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
