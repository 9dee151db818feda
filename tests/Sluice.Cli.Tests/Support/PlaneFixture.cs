using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.ControlPlane;
using Sluice.Manifests;

namespace Sluice.Cli.Tests.Support;

/// <summary>An in-process control plane (no controllers) per test class, with helpers to put AppRollouts in a given state.</summary>
public sealed class PlaneFixture : IAsyncLifetime
{
    private static readonly ResourceKind Namespace = ResourceKinds.For("v1", "Namespace");

    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "sluice-cli-plane-" + Guid.NewGuid().ToString("N"));
    private RunningControlPlane? plane;

    public string Kubeconfig => plane!.KubeconfigPath;

    internal IKubeApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        plane = await ControlPlaneServer.StartAsync(new ControlPlaneOptions { DataDir = dataDir, Port = 0 }, TimeProvider.System);
        Api = KubeApi.FromConfig(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));
    }

    public async Task DisposeAsync()
    {
        await plane!.DisposeAsync();
        Directory.Delete(dataDir, recursive: true);
    }

    /// <summary>Creates an AppRollout from <paramref name="spec"/> (YAML) and writes <paramref name="status"/> (YAML) as its status.</summary>
    internal async Task<JsonObject> RolloutAsync(string name, string spec, string? status = null, string ns = "default", string? annotations = null)
    {
        var yaml = $"""
            apiVersion: core.oam.dev/v1beta1
            kind: AppRollout
            metadata:
              name: {name}
              namespace: {ns}
            {(annotations is null ? "" : "  annotations:\n" + Indent(annotations, "    "))}
            spec:
            {Indent(spec, "  ")}
            """;
        if (await Api.GetAsync(Namespace, null, ns, CancellationToken.None) is null)
        {
            await Api.CreateAsync(Namespace, null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }, CancellationToken.None);
        }

        var created = await Api.CreateAsync(ResourceKind.AppRollout, ns, (JsonObject)YamlJson.Parse(yaml)!, CancellationToken.None);
        if (status is null)
        {
            return created;
        }

        created["status"] = YamlJson.Parse(status);
        return await Api.ReplaceStatusAsync(ResourceKind.AppRollout, ns, created, CancellationToken.None);
    }

    internal async Task<JsonObject> GetRolloutAsync(string name, string ns = "default") =>
        (await Api.GetAsync(ResourceKind.AppRollout, ns, name, CancellationToken.None))!;

    private static string Indent(string text, string prefix) =>
        string.Join("\n", text.Trim('\n').Split('\n').Select(l => prefix + l));
}
