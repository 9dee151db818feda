using System.Net;
using Microsoft.Extensions.Time.Testing;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Auth;

/// <summary>Tokens expire: a plane on a fake clock, a token of the shortest lifetime, and the clock moved past it.</summary>
public sealed class TokenExpiryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sluice-expiry-" + Guid.NewGuid().ToString("N"));
    private RunningControlPlane? _plane;

    private RunningControlPlane Plane => _plane!;

    public async Task InitializeAsync() =>
        _plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = _dir, Port = 0 }, _time);

    public async Task DisposeAsync()
    {
        await Plane.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Request_WithAnExpiredToken_Gets401AndWritesNothing()
    {
        var admin = new Kubectl(Plane.KubeconfigPath);
        (await admin.RunAsync("create", "serviceaccount", "bot")).ExitCode.ShouldBe(0);
        (await admin.RunAsync("create", "clusterrolebinding", "bot-admin", "--clusterrole=cluster-admin", "--serviceaccount=default:bot")).ExitCode.ShouldBe(0);
        var token = (await admin.RunAsync("create", "token", "bot", "--duration=10m")).Stdout.Trim();
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { BaseAddress = Plane.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        (await http.GetAsync("/api/v1/namespaces/default/configmaps")).StatusCode.ShouldBe(HttpStatusCode.OK);

        _time.Advance(TimeSpan.FromMinutes(10));
        var read = await http.GetAsync("/api/v1/namespaces/default/configmaps");
        var write = await http.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("""{"metadata":{"name":"late"}}""", System.Text.Encoding.UTF8, "application/json"));

        read.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        write.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await admin.RunAsync("get", "cm", "late")).Stderr.ShouldContain("NotFound");
    }
}
