using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Bench.Soak;

/// <summary>
/// Rollout i: an application of one component (named like it) of a built-in type (CloneSet, StatefulSet,
/// Deployment, DaemonSet in turn) with 3 pods, rolled out to v1, then upgraded to v2 in batches of 1 and 2,
/// meeting <see cref="Trouble"/>.
/// </summary>
internal sealed record Scenario(string Name, string Type, Trouble Trouble)
{
    public const string V1 = "stefanprodan/podinfo:4.0.6";
    public const string V2 = "stefanprodan/podinfo:5.0.2";
    public const int Pods = 3;
    public static readonly int[] Batches = [1, 2];
    private static readonly string[] Types = ["clonesetservice", "statefulservice", "webservice", "daemon"];
    private static readonly Trouble[] Troubles = [Trouble.None, Trouble.PodsNeverReady, Trouble.WebhookFails, Trouble.WebhookHangsOnce, Trouble.None];

    public static Scenario For(int i) =>
        new("s" + i.ToString("D4", CultureInfo.InvariantCulture), Types[i % Types.Length], Troubles[i % Troubles.Length]);

    /// <summary>The state the upgrade must end in.</summary>
    public string Expected => Trouble is Trouble.PodsNeverReady or Trouble.WebhookFails ? "rolloutFailed" : "rolloutSucceed";

    public JsonObject Application(bool v2)
    {
        var properties = new JsonObject { ["image"] = v2 ? V2 : V1 };
        if (Type != "daemon")
        {
            properties["replicas"] = Pods;
        }
        if (Type == "clonesetservice")
        {
            properties["updateStrategyType"] = "InPlaceIfPossible";
        }
        if (v2 && Trouble == Trouble.PodsNeverReady)
        {
            properties["annotations"] = new JsonObject { ["sim.sluice.dev/fault"] = "never-ready" };
        }
        return new JsonObject
        {
            ["apiVersion"] = "core.oam.dev/v1beta1",
            ["kind"] = "Application",
            ["metadata"] = new JsonObject
            {
                ["name"] = Name,
                ["annotations"] = new JsonObject { ["app.oam.dev/rolling-components"] = Name, ["app.oam.dev/rollout-template"] = "true" },
            },
            ["spec"] = new JsonObject { ["components"] = new JsonArray(new JsonObject { ["name"] = Name, ["type"] = Type, ["properties"] = properties }) },
        };
    }

    /// <summary>The AppRollout's spec: to v1 from nothing, or from v1 to v2 with this scenario's trouble.</summary>
    public JsonObject RolloutSpec(bool v2, string webhookBase)
    {
        // v1 comes up in one batch (a DaemonSet starts on every node at once); v2 goes in the planned batches
        var plan = new JsonObject
        {
            ["rolloutBatches"] = v2
                ? new JsonArray([.. Batches.Select(b => (JsonNode)new JsonObject { ["replicas"] = b })])
                : new JsonArray(new JsonObject { ["replicas"] = "100%" }),
        };
        if (v2)
        {
            switch (Trouble)
            {
                case Trouble.PodsNeverReady:
                    plan["progressDeadlineSeconds"] = 10;
                    break;
                case Trouble.WebhookFails:
                    plan["rolloutWebhooks"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "post-batch-rollout", ["name"] = "check", ["url"] = $"{webhookBase}fail/{Name}", ["failurePolicy"] = "Fail",
                    });
                    break;
                case Trouble.WebhookHangsOnce:
                    plan["rolloutWebhooks"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "pre-batch-rollout", ["name"] = "slow", ["url"] = $"{webhookBase}hang/{Name}", ["timeoutSeconds"] = 1,
                    });
                    break;
            }
        }
        var spec = new JsonObject
        {
            ["targetAppRevisionName"] = Name + (v2 ? "-v2" : "-v1"),
            ["componentList"] = new JsonArray(Name),
            ["rolloutPlan"] = plan,
        };
        if (v2)
        {
            spec["sourceAppRevisionName"] = Name + "-v1";
        }
        return spec;
    }

    public JsonObject Rollout(string webhookBase) => new()
    {
        ["apiVersion"] = "core.oam.dev/v1beta1",
        ["kind"] = "AppRollout",
        ["metadata"] = new JsonObject { ["name"] = Name },
        ["spec"] = RolloutSpec(v2: false, webhookBase),
    };

    /// <summary>Pods upgraded by the end of batch <paramref name="batch"/> (0-based), as planned.</summary>
    public static int PlannedThrough(int batch) => Batches.Take(Math.Min(batch + 1, Batches.Length)).Sum();
}
