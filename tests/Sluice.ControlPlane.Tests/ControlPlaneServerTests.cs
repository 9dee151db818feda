using System.Net;
using k8s;
using k8s.Models;

namespace Sluice.ControlPlane.Tests;

public sealed class ControlPlaneServerTests
{
    private static ControlPlaneOptions Options(string dir) => new() { DataDir = dir, Port = 0 };

    private static string TempDir() => Path.Combine(Path.GetTempPath(), "sluice-server-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task StartAsync_SecondInstanceOnTheSameDirectory_RefusesWithAClearMessage()
    {
        var dir = TempDir();
        await using var first = await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System);

        var error = await Should.ThrowAsync<ControlPlaneStartException>(() => ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System));

        error.Message.ShouldContain("another Sluice control plane is already using the data directory");
        (await new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
            .GetAsync(new Uri(first.BaseUrl, "/version"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task StartAsync_Always_WritesAnOwnerOnlyKubeconfigOnLoopback()
    {
        var dir = TempDir();
        await using var plane = await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System);

        plane.KubeconfigPath.ShouldBe(Path.Combine(dir, "kubeconfig"));
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(plane.KubeconfigPath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        plane.BaseUrl.Host.ShouldBe("127.0.0.1");
        plane.BaseUrl.Scheme.ShouldBe("https");
        var text = await File.ReadAllTextAsync(plane.KubeconfigPath);
        text.ShouldContain($"token: {plane.Token}");
        text.ShouldContain("certificate-authority-data: ");
    }

    [Fact]
    public async Task StartAsync_AfterAStop_KeepsObjectsAndResourceVersionsMoveOn()
    {
        var dir = TempDir();
        string version;
        await using (var plane = await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System))
        {
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(plane.KubeconfigPath));
            version = (await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "kept" } }, "default")).Metadata.ResourceVersion;
        }

        await using var again = await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System);
        using var restarted = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(again.KubeconfigPath));
        var kept = await restarted.CoreV1.ReadNamespacedConfigMapAsync("kept", "default");
        var next = await restarted.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "next" } }, "default");

        kept.Metadata.ResourceVersion.ShouldBe(version);
        long.Parse(next.Metadata.ResourceVersion).ShouldBeGreaterThan(long.Parse(version));
        (await restarted.ApiextensionsV1.ListCustomResourceDefinitionAsync()).Items.Count.ShouldBe(5);
    }
}
