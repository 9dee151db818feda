using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;

namespace Sluice.Bench.Rollouts;

/// <summary>The objects of the run: application i has one CloneSet component named like it, rolled by AppRollout i.</summary>
internal static class Fleet
{
    public const string Namespace = "default";
    public static readonly GroupResource Applications = new("core.oam.dev", "applications");
    public static readonly GroupResource Revisions = new("core.oam.dev", "applicationrevisions");
    public static readonly GroupResource AppRollouts = new("core.oam.dev", "approllouts");
    public static readonly GroupResource CloneSets = new("apps.kruise.io", "clonesets");

    public static string Name(int i) => "r" + i.ToString("D5", CultureInfo.InvariantCulture);

    public static JsonObject Application(string name, string image, int replicas) => new()
    {
        ["apiVersion"] = "core.oam.dev/v1beta1",
        ["kind"] = "Application",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["annotations"] = new JsonObject { ["app.oam.dev/rolling-components"] = name, ["app.oam.dev/rollout-template"] = "true" },
        },
        ["spec"] = new JsonObject
        {
            ["components"] = new JsonArray(new JsonObject
            {
                ["name"] = name,
                ["type"] = "clonesetservice",
                ["properties"] = new JsonObject { ["image"] = image, ["replicas"] = replicas, ["updateStrategyType"] = "InPlaceIfPossible" },
            }),
        },
    };

    /// <summary>An AppRollout to revision NAME-v1 in <paramref name="batches"/> batches splitting <paramref name="replicas"/> evenly.</summary>
    public static JsonObject Rollout(string name, int replicas, int batches)
    {
        var sizes = new JsonArray();
        for (var b = 0; b < batches; b++)
        {
            sizes.Add(new JsonObject { ["replicas"] = (replicas / batches) + (b < replicas % batches ? 1 : 0) });
        }
        return new JsonObject
        {
            ["apiVersion"] = "core.oam.dev/v1beta1",
            ["kind"] = "AppRollout",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["targetAppRevisionName"] = name + "-v1",
                ["componentList"] = new JsonArray(name),
                ["rolloutPlan"] = new JsonObject { ["rolloutBatches"] = sizes },
            },
        };
    }

    public static string? RollingState(JsonObject rollout) => rollout["status"]?["rollingState"]?.GetValue<string>();
}
