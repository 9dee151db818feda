using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Bench.Common;

namespace Sluice.Bench.Soak;

/// <summary>
/// Checks the committed history (pods and AppRollouts in commit order, from the end of the setup on; the changes of one
/// resourceVersion taken together):
/// <list type="bullet">
/// <item>unavailable: a component has more of its pods not ready than the plan's largest batch;</item>
/// <item>oversized: an upgrade reports more pods upgraded than the plan allows up to its current batch;</item>
/// <item>skipped / repeated: an upgrade's current batch moves forward by more than one, or backwards.</item>
/// </list>
/// </summary>
internal static class Invariants
{
    public static InvariantReport Check(IReadOnlyList<Recorded> history, IReadOnlyCollection<Scenario> scenarios)
    {
        var podStates = 0;
        var rolloutStates = 0;
        var violations = new Dictionary<string, List<string>> { ["unavailable"] = [], ["oversized"] = [], ["skipped"] = [], ["repeated"] = [] };
        var names = scenarios.Select(s => s.Name).ToHashSet();
        var allowed = Scenario.Batches.Max();
        var pods = new Dictionary<string, Dictionary<string, bool>>();
        var batches = new Dictionary<string, int>();
        var touched = new HashSet<string>();
        for (var i = 0; i < history.Count; i++)
        {
            var change = history[i].Change;
            var obj = change.Object;
            var name = obj["metadata"]!["name"]!.GetValue<string>();
            var component = obj["metadata"]?["labels"]?["app.oam.dev/component"]?.GetValue<string>();
            if (change.Resource == SoakSystem.Pods && component is not null && names.Contains(component))
            {
                var live = pods.TryGetValue(component, out var known) ? known : pods[component] = [];
                if (change.Type == "DELETED")
                {
                    live.Remove(name);
                }
                else
                {
                    live[name] = Ready(obj);
                }
                touched.Add(component);
            }
            else if (change.Resource == SoakSystem.AppRollouts && names.Contains(name) && change.Type != "DELETED"
                && obj["status"] is { } status && status["lastTargetAppRevision"]?.GetValue<string>() == name + "-v2"
                && status["rollingState"]?.GetValue<string>() == "rollingInBatches")
            {
                rolloutStates++;
                var current = Int(status["currentBatch"]);
                var upgraded = Int(status["upgradedReplicas"]);
                if (upgraded > Scenario.PlannedThrough(current))
                {
                    violations["oversized"].Add($"{name}: {upgraded} upgraded in batch {current} at resourceVersion {change.ResourceVersion} (plan: {Scenario.PlannedThrough(current)})");
                }
                if (batches.TryGetValue(name, out var before))
                {
                    if (current > before + 1)
                    {
                        violations["skipped"].Add($"{name}: batch {before} to {current} at resourceVersion {change.ResourceVersion}");
                    }
                    else if (current < before)
                    {
                        violations["repeated"].Add($"{name}: batch {before} back to {current} at resourceVersion {change.ResourceVersion}");
                    }
                }
                batches[name] = current;
            }

            // The changes of one resourceVersion (a list's, after a watch was answered 410 Gone) make one state.
            if (i + 1 < history.Count && history[i + 1].Change.ResourceVersion == change.ResourceVersion)
            {
                continue;
            }
            foreach (var changed in touched)
            {
                podStates++;
                var unavailable = Scenario.Pods - pods[changed].Values.Count(r => r);
                if (unavailable > allowed)
                {
                    violations["unavailable"].Add($"{changed}: {unavailable} of {Scenario.Pods} pods unavailable at resourceVersion {change.ResourceVersion} (the plan allows {allowed})");
                }
            }
            touched.Clear();
        }
        return new InvariantReport(violations, podStates, rolloutStates);
    }

    private static int Int(JsonNode? node) => node?.GetValueKind() == JsonValueKind.Number ? node.GetValue<int>() : 0;

    private static bool Ready(JsonObject pod) =>
        pod["metadata"]?["deletionTimestamp"] is null
        && (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => c["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True") == true;
}
