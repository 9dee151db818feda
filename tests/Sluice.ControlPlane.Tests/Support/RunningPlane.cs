using k8s;
using Sluice.ControlPlane;

namespace Sluice.ControlPlane.Tests.Support;

/// <summary>A control plane started in-process on a free port with a temporary data directory.</summary>
public sealed class RunningPlane : IAsyncLifetime
{
    private RunningControlPlane? _plane;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "sluice-cp-" + Guid.NewGuid().ToString("N"));

    public RunningControlPlane Plane => _plane ?? throw new InvalidOperationException("not started");

    public Kubectl Kubectl => new(Plane.KubeconfigPath);

    public Kubernetes Client() =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(Plane.KubeconfigPath));

    public HttpClient Http(string? token = null)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, _, _, _) => true,
        };
        var http = new HttpClient(handler) { BaseAddress = Plane.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token ?? Plane.Token);
        return http;
    }

    public async Task InitializeAsync()
    {
        _plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions
        {
            DataDir = DataDir,
            Port = 0,
            WatchHistory = 200,
            BookmarkInterval = TimeSpan.FromMilliseconds(300),
        }, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        if (_plane is not null)
        {
            await _plane.DisposeAsync();
        }
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
