using System.Net;
using System.Net.Sockets;
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
        (await restarted.ApiextensionsV1.ListCustomResourceDefinitionAsync()).Items.Count.ShouldBe(Bootstrap.EmbeddedCrds().Count);
    }

    [Fact]
    public async Task StartAsync_AfterAStop_KeepsUrlTokenAndCaSoTheFirstKubeconfigStillWorks()
    {
        var dir = TempDir();
        var firstKubeconfig = TempDir() + ".kubeconfig";
        Uri url;
        string token, ca;
        await using (var first = await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System))
        {
            (url, token, ca) = (first.BaseUrl, first.Token, first.CertificateAuthorityPem);
            File.Copy(first.KubeconfigPath, firstKubeconfig);
        }

        await using var second = await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(firstKubeconfig));
        var namespaces = await client.CoreV1.ListNamespaceAsync();

        second.BaseUrl.ShouldBe(url);
        second.Token.ShouldBe(token);
        second.CertificateAuthorityPem.ShouldBe(ca);
        (await File.ReadAllBytesAsync(second.KubeconfigPath)).ShouldBe(await File.ReadAllBytesAsync(firstKubeconfig));
        namespaces.Items.Select(n => n.Metadata.Name).ShouldContain("default");
    }

    [Fact]
    public async Task StartAsync_WhenThePreviousPortIsTaken_ServesOnAnotherWithTheSameCredentials()
    {
        var dir = TempDir();
        Uri url;
        string token, ca;
        await using (var first = await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System))
        {
            (url, token, ca) = (first.BaseUrl, first.Token, first.CertificateAuthorityPem);
        }
        var squatter = new TcpListener(IPAddress.Loopback, url.Port);
        squatter.Start();
        try
        {
            await using var second = await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(second.KubeconfigPath));

            second.BaseUrl.Port.ShouldNotBe(url.Port);
            second.Token.ShouldBe(token);
            second.CertificateAuthorityPem.ShouldBe(ca);
            (await client.CoreV1.ListNamespaceAsync()).Items.ShouldNotBeEmpty();
        }
        finally
        {
            squatter.Stop();
        }
    }

    [Fact]
    public async Task StartAsync_WithAnExplicitPortTaken_RefusesNamingThePortAndLeavesTheDirectoryFree()
    {
        var dir = TempDir();
        var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        try
        {
            var error = await Should.ThrowAsync<ControlPlaneStartException>(() => ControlPlaneServer.StartAsync(Options(dir) with { Port = port }, TimeProvider.System));

            error.Message.ShouldContain($"--port: 127.0.0.1:{port} is already in use");
        }
        finally
        {
            squatter.Stop();
        }

        await using var after = await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System);
        after.BaseUrl.ShouldNotBeNull();
    }

    [Fact]
    public async Task StartAsync_WithAnExplicitPort_ServesOnItRatherThanThePreviousOne()
    {
        var dir = TempDir();
        Uri url;
        await using (var first = await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System))
        {
            url = first.BaseUrl;
        }
        int port;
        do
        {
            var free = new TcpListener(IPAddress.Loopback, 0);
            free.Start();
            port = ((IPEndPoint)free.LocalEndpoint).Port;
            free.Stop();
        }
        while (port == url.Port);

        await using var second = await ControlPlaneServer.StartAsync(Options(dir) with { Port = port }, TimeProvider.System);

        second.BaseUrl.Port.ShouldBe(port);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("ca.crt")]
    [InlineData("server.crt")]
    [InlineData("server.key")]
    public async Task StartAsync_WithACorruptPkiFile_MakesItAnewAndServes(string file)
    {
        var dir = TempDir();
        await using (await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System))
        {
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "pki", file), "-----BEGIN CERTIFICATE-----\nnot base64 at all\n");

        await using var again = await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(again.KubeconfigPath));

        (await client.CoreV1.ListNamespaceAsync()).Items.ShouldNotBeEmpty();
        (await File.ReadAllTextAsync(Path.Combine(dir, "pki", file))).ShouldNotContain("not base64");
    }

    [Fact]
    public async Task StartAsync_Always_KeepsThePkiOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var dir = TempDir();
        await using var plane = await ControlPlaneServer.StartAsync(Options(dir), TimeProvider.System);

        var pki = Path.Combine(dir, "pki");
        File.GetUnixFileMode(pki).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.GetFiles(pki).Select(Path.GetFileName).Order().ShouldBe(["ca.crt", "sa.key", "server.crt", "server.key", "token"]);
        foreach (var file in Directory.GetFiles(pki))
        {
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, file);
        }
    }
}
