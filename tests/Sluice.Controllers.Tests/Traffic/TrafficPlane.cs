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

    /// <summary>
    /// A namespace of its own for one test, with the AppRollouts <c>web-rollout</c> and <c>other</c> whose uids
    /// <see cref="Target"/> gives: the objects a router creates are owned by their rollout, and the garbage collector
    /// removes any whose owner does not exist, as Kubernetes' does.
    /// </summary>
    public async Task<string> NamespaceAsync(string prefix)
    {
        var name = $"{prefix}-{Interlocked.Increment(ref namespaces)}";
        await Api.CreateAsync(ResourceKinds.For("v1", "Namespace"), null, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        }, CancellationToken.None);
        foreach (var rollout in (string[])["web-rollout", "other"])
        {
            var created = await Api.CreateAsync(ResourceKind.AppRollout, name, new JsonObject
            {
                ["apiVersion"] = "core.oam.dev/v1beta1",
                ["kind"] = "AppRollout",
                ["metadata"] = new JsonObject { ["name"] = rollout },
                ["spec"] = new JsonObject { ["targetAppRevisionName"] = "app-v2", ["rolloutPlan"] = new JsonObject { ["rolloutBatches"] = new JsonArray(new JsonObject { ["replicas"] = 1 }) } },
            }, CancellationToken.None);
            Uids[(name, rollout)] = created["metadata"]!["uid"]!.GetValue<string>();
        }

        return name;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Ns, string Name), string> Uids = new();

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

    /// <summary>The rollout <paramref name="name"/> of a namespace from <see cref="NamespaceAsync"/> (its real uid unless one is given).</summary>
    public static TrafficTarget Target(string ns, RolloutPlan plan, string? uid = null, string name = "web-rollout") =>
        new(ns, name, uid ?? Uids.GetValueOrDefault((ns, name)) ?? "uid-1", plan, SourceHash: "hash-v1", TargetHash: "hash-v2");

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
