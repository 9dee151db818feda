using System.Text.Json.Nodes;
using k8s;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Traffic;
using Sluice.Controllers.Workloads;
using Sluice.ControlPlane;
using Sluice.ControlPlane.Http;
using Sluice.Core.Api;
using Sluice.Core.Engine;
using Sluice.Manifests;

namespace Sluice.Controllers.Tests.Traffic;

/// <summary>
/// The embedded plane in-process (its bundled Gateway API and Istio CRDs, schemas, defaults and merge patches, as a real
/// API server has them), a client over HTTP, and a fresh namespace per test.
/// </summary>
public sealed class TrafficPlane : IAsyncLifetime
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "sluice-traffic-" + Guid.NewGuid().ToString("N"));
    private RunningControlPlane? plane;
    private int namespaces;

    public IKubeApi Api { get; private set; } = null!;

    public WorkloadPatcher Patcher => new(Api);

    public RunningControlPlane Plane => plane ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0 }, TimeProvider.System);
        Api = KubeApi.FromConfig(KubernetesClientConfiguration.BuildConfigFromConfigFile(plane.KubeconfigPath));
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

    /// <summary>A namespace of its own for one test.</summary>
    public async Task<string> NamespaceAsync(string prefix)
    {
        var name = $"{prefix}-{Interlocked.Increment(ref namespaces)}";
        await Api.CreateAsync(ResourceKinds.For("v1", "Namespace"), null, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        }, CancellationToken.None);
        return name;
    }

    /// <summary>Creates every document of <paramref name="yaml"/> in <paramref name="ns"/>.</summary>
    public async Task ApplyAsync(string ns, string yaml)
    {
        foreach (var document in YamlJson.ParseAll(yaml).OfType<JsonObject>())
        {
            await Api.CreateAsync(Kind(document), ns, document, CancellationToken.None);
        }
    }

    public async Task<JsonObject> GetAsync(ResourceKind kind, string ns, string name) =>
        await Api.GetAsync(kind, ns, name, CancellationToken.None) ?? throw new InvalidOperationException($"{kind.Kind} {ns}/{name} not found");

    /// <summary>Writes (create, update, patch, delete) served so far, per resource.</summary>
    public long Writes(string resource) =>
        Plane.Requests.Snapshot().Where(p => p.Key.Resource == resource && p.Key.Verb is "create" or "update" or "patch" or "delete").Sum(p => p.Value);

    public static TrafficTarget Target(string ns, RolloutPlan plan, string uid = "uid-1", string name = "web-rollout") =>
        new(ns, name, uid, plan, SourceHash: "hash-v1", TargetHash: "hash-v2");

    private static ResourceKind Kind(JsonObject obj) =>
        (obj["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>()) switch
        {
            ("gateway.networking.k8s.io/v1", "HTTPRoute") => TrafficKinds.HttpRoute,
            ("gateway.networking.k8s.io/v1", "Gateway") => TrafficKinds.Gateway,
            ("networking.istio.io/v1", "VirtualService") => TrafficKinds.VirtualService,
            ("networking.k8s.io/v1", "Ingress") => TrafficKinds.Ingress,
            var (apiVersion, kind) => ResourceKinds.For(apiVersion, kind),
        };
}
