using System.Text.Json.Nodes;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// The seed's walkthrough for any component type: an Application whose component an AppRollout rolls
/// (<c>app.oam.dev/rolling-components</c> + <c>app.oam.dev/rollout-template</c>), its revisions <c>walk-v1</c>,
/// <c>walk-v2</c>..., and the AppRollout <c>rolling-example</c> between them, as YAML for kubectl.
/// </summary>
public static class Walkthrough
{
    public const string App = "walk";

    public const string Rollout = "rolling-example";

    public const string V1Image = "stefanprodan/podinfo:4.0.6";

    public const string V2Image = "stefanprodan/podinfo:5.0.2";

    public static string Revision(int n) => $"{App}-v{n}";

    /// <summary>The application with one rolling component of <paramref name="type"/>.</summary>
    public static string Application(string component, string type, string image, int? replicas = null, string extraProperties = "") => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: {App}
          annotations:
            "app.oam.dev/rolling-components": "{component}"
            "app.oam.dev/rollout-template": "true"
        spec:
          components:
            - name: {component}
              type: {type}
              properties:
                image: {image}
                cmd: ["./podinfo", "stress-cpu=1"]
        {(replicas is { } r ? $"        replicas: {r}\n" : "")}{extraProperties}
        """;

    /// <summary>The AppRollout to revision <paramref name="target"/> (from <paramref name="source"/>, or from nothing).</summary>
    public static string AppRollout(string component, int? source, int target, string strategy, params string[] batches) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: AppRollout
        metadata:
          name: {Rollout}
        spec:
        {(source is { } s ? $"  sourceAppRevisionName: {Revision(s)}\n" : "")}  targetAppRevisionName: {Revision(target)}
          componentList:
            - {component}
          rolloutPlan:
            rolloutStrategy: "{strategy}"
            rolloutBatches:
        {string.Concat(batches.Select(b => $"      - replicas: {(b.EndsWith('%') ? $"\"{b}\"" : b)}\n"))}
        """;

    public static int Replicas(JsonObject? workload) => workload?["spec"]?["replicas"]?.GetValue<int>() ?? -1;

    public static string? TemplateRevision(JsonObject workload) => workload["metadata"]?["annotations"]?["rollout.sluice.dev/revision"]?.GetValue<string>();
}
