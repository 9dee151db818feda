namespace Sluice.ControlPlane.Tests;

public sealed class EndpointsFileTests
{
    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sluice-endpoints-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void Set_SeveralNames_KeepsEachAndWritesOwnerOnly()
    {
        var dir = TempDir();
        var file = new EndpointsFile(dir);

        file.Set("metrics", "http://127.0.0.1:1/metrics");
        file.Set("dashboard", "http://127.0.0.1:2/?token=x");
        file.Set("metrics", "http://127.0.0.1:3/metrics");

        var read = EndpointsFile.Read(dir);
        read["metrics"].ShouldBe("http://127.0.0.1:3/metrics");
        read["dashboard"].ShouldBe("http://127.0.0.1:2/?token=x");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file.Path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public void Clear_AfterAnEarlierRun_ForgetsStaleEndpoints()
    {
        var dir = TempDir();
        new EndpointsFile(dir).Set("prometheus", "http://127.0.0.1:9/");

        var next = new EndpointsFile(dir);
        next.Clear();
        next.Remove("nothing");

        EndpointsFile.Read(dir).ShouldBeEmpty();
    }

    [Fact]
    public async Task StartAsync_Always_WritesTheApiAndKubeconfigToEndpointsJson()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sluice-endpoints-" + Guid.NewGuid().ToString("N"));
        await using var plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dir, Port = 0 }, TimeProvider.System);

        var read = EndpointsFile.Read(dir);

        read["api"].ShouldBe(plane.BaseUrl.ToString());
        read["kubeconfig"].ShouldBe(plane.KubeconfigPath);
        plane.Endpoints.Path.ShouldBe(Path.Combine(dir, "endpoints.json"));
    }
}
