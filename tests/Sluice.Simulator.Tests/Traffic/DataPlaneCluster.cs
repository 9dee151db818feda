using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.ControlPlane;
using Sluice.ControlPlane.Resources;
using Sluice.Manifests;
using Sluice.Simulator.Traffic;

namespace Sluice.Simulator.Tests.Traffic;

/// <summary>
/// The embedded plane with the data plane on a fake clock: objects (pods with their readiness, Services, routes) are
/// written straight to the store, then <see cref="RunAsync"/> lets the clients send for a while, exactly.
/// </summary>
internal sealed class DataPlaneCluster : IAsyncDisposable
{
    private readonly string dir;

    private DataPlaneCluster(string dir, RunningControlPlane plane, DataPlane traffic, FakeTimeProvider time)
    {
        this.dir = dir;
        Plane = plane;
        Traffic = traffic;
        Time = time;
    }

    public RunningControlPlane Plane { get; }

    public DataPlane Traffic { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<DataPlaneCluster> StartAsync(int seed = 1)
    {
        var dir = Path.Combine(Path.GetTempPath(), "sluice-dp-" + Guid.NewGuid().ToString("N"));
        var plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dir, Port = 0 }, TimeProvider.System);
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var traffic = await DataPlane.StartAsync(plane.Store, new DataPlaneOptions(TimeSpan.FromMilliseconds(100), seed), time);
        return new DataPlaneCluster(dir, plane, traffic, time);
    }

    /// <summary>Creates every document (in "default" unless it names a namespace).</summary>
    public void Apply(string yaml)
    {
        foreach (var document in YamlJson.ParseAll(yaml).OfType<JsonObject>())
        {
            Plane.Store.Create(Resource(document), document["metadata"]?["namespace"]?.GetValue<string>() ?? "default", document);
        }
    }

    /// <summary>Replaces an object's spec or annotations as a user would.</summary>
    public void Change(string kind, string name, Action<JsonObject> change) =>
        Plane.Store.Mutate(Resource(new JsonObject { ["kind"] = kind }), "default", name, obj =>
        {
            change(obj);
            return obj;
        });

    /// <summary>A pod of a revision: template-hash and revision labels, Ready or not, with an optional fault.</summary>
    public void Pod(string name, string app, string? revision, bool ready = true, string? fault = null, bool deleting = false, string? hash = null)
    {
        var labels = new JsonObject { ["app"] = app };
        if (revision is not null)
        {
            labels["rollout.sluice.dev/revision"] = revision;
            labels["rollout.sluice.dev/template-hash"] = hash ?? "hash-" + revision;
        }

        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app" }) },
            ["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }) },
        };
        if (fault is not null)
        {
            pod["metadata"]!["annotations"] = new JsonObject { ["sim.sluice.dev/fault"] = fault };
        }

        if (deleting)
        {
            pod["metadata"]!["finalizers"] = new JsonArray("sim.test/hold");
        }

        Plane.Store.Create(new GroupResource("", "pods"), "default", pod);
        if (deleting)
        {
            Plane.Store.Delete(new GroupResource("", "pods"), "default", name, new Sluice.ControlPlane.Store.DeleteOptions());
        }
    }

    /// <summary>Lets the data plane see the store, then the clients send for <paramref name="duration"/> of the fake clock.</summary>
    public async Task<TrafficReport> RunAsync(TimeSpan duration)
    {
        await Traffic.CatchUpAsync();
        Time.Advance(duration);
        return Traffic.Report();
    }

    public string Metrics()
    {
        var text = new StringWriter();
        Traffic.WriteMetrics(text);
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Traffic.DisposeAsync();
        await Plane.DisposeAsync();
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static GroupResource Resource(JsonObject obj) => obj["kind"]!.GetValue<string>() switch
    {
        "Service" => new GroupResource("", "services"),
        "Pod" => new GroupResource("", "pods"),
        "HTTPRoute" => new GroupResource("gateway.networking.k8s.io", "httproutes"),
        "Gateway" => new GroupResource("gateway.networking.k8s.io", "gateways"),
        "GatewayClass" => new GroupResource("gateway.networking.k8s.io", "gatewayclasses"),
        "VirtualService" => new GroupResource("networking.istio.io", "virtualservices"),
        "Ingress" => new GroupResource("networking.k8s.io", "ingresses"),
        var other => throw new ArgumentException($"no resource for kind {other}"),
    };
}
