using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Store;

public sealed class SqlitePersistenceTests
{
    [Fact]
    public async Task Write_AcknowledgedBeforeSigkill_IsThereAfterRestart()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sluice-durable-" + Guid.NewGuid().ToString("N"));
        try
        {
            var acknowledged = new ConcurrentBag<string>();
            using (var first = SluiceProcess.Start(dataDir))
            {
                var kubeconfig = await first.ReadyAsync();
                using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        var name = $"w{w}-{i}";
                        try
                        {
                            await client.CoreV1.CreateNamespacedConfigMapAsync(
                                new V1ConfigMap { Metadata = new() { Name = name }, Data = new Dictionary<string, string> { ["i"] = $"{i}" } },
                                "default", cancellationToken: stop.Token);
                        }
                        catch (Exception)
                        {
                            return;
                        }
                        acknowledged.Add(name);
                    }
                })).ToList();

                // Given a stream of writes, when the server is killed mid-stream (no chance to flush or close)...
                (await Eventually.HoldsAsync(() => Task.FromResult(acknowledged.Count >= 100), TimeSpan.FromSeconds(60))).ShouldBeTrue();
                first.Process.Kill();
                await first.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
            }

            // ...then a restart on the same directory opens cleanly and holds every acknowledged write.
            using var second = SluiceProcess.Start(dataDir);
            var restartedConfig = await second.ReadyAsync();
            using var restarted = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(restartedConfig));
            var stored = (await restarted.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Select(c => c.Metadata.Name).ToHashSet();
            acknowledged.Where(a => !stored.Contains(a)).ShouldBeEmpty();
            await restarted.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "after-restart" } }, "default");

            second.Terminate();
            await second.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            second.Process.ExitCode.ShouldBe(0, second.Stderr);
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
