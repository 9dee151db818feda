using System.Globalization;

namespace Sluice.Dashboard.Tests.Support;

/// <summary>YAML for the browser tests: an Application of one CloneSet component, and AppRollouts of it.</summary>
public static class Manifests
{
    public const string Component = "web";

    public static string App(string name, string image, int replicas = 5) => $"""
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: {name}
          annotations:
            app.oam.dev/rolling-components: {Component}
            app.oam.dev/rollout-template: "true"
        spec:
          components:
            - name: {Component}
              type: clonesetservice
              properties:
                image: {image}
                replicas: {replicas.ToString(CultureInfo.InvariantCulture)}
                updateStrategyType: InPlaceIfPossible

        """;

    /// <summary>An AppRollout of <see cref="Component"/>; <paramref name="plan"/> lines go under rolloutPlan (indented 4).</summary>
    public static string Rollout(string name, string? source, string target, string batches, string plan = "")
    {
        var batchLines = string.Concat(batches.Split(',').Select(b => $"      - replicas: {(b.EndsWith('%') ? $"\"{b}\"" : b)}\n"));
        return $"""
            apiVersion: core.oam.dev/v1beta1
            kind: AppRollout
            metadata:
              name: {name}
            spec:
            {(source is null ? "" : $"  sourceAppRevisionName: {source}\n")}  targetAppRevisionName: {target}
              componentList:
                - {Component}
              rolloutPlan:
                rolloutBatches:
            {batchLines}{plan}
            """;
    }
}
