using System.Globalization;
using System.Text;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>YAML for the scenarios: an Application of one CloneSet component, and AppRollouts of it.</summary>
public static class Manifests
{
    public const string Component = "web";

    /// <summary>An application whose component an AppRollout rolls (the seed's annotations).</summary>
    public static string App(string name, string image, int replicas = 5, string? fault = null, string? extraProperties = null)
    {
        var yaml = new StringBuilder($"""
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

            """);
        if (fault is not null)
        {
            yaml.Append($"""
                        annotations:
                          sim.sluice.dev/fault: {fault}

                """);
        }

        if (extraProperties is not null)
        {
            yaml.Append(extraProperties);
        }

        return yaml.ToString();
    }

    /// <summary>An AppRollout of <see cref="Component"/>; <paramref name="plan"/> lines are added under rolloutPlan (indented 4).</summary>
    public static string Rollout(string name, string? source, string target, string batches, string plan = "", string spec = "")
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
            {spec}  rolloutPlan:
                rolloutBatches:
            {batchLines}{plan}
            """;
    }
}
