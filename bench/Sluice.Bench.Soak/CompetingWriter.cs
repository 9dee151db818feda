using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Store;

namespace Sluice.Bench.Soak;

/// <summary>
/// Another writer of the controller's objects: for a while it touches an annotation of random AppRollouts and of
/// their workloads, so that the controller's writes carrying the resourceVersion it read are answered 409.
/// </summary>
internal static class CompetingWriter
{
    public const string Annotation = "soak.sluice.dev/touched";

    /// <summary>Writes for <paramref name="duration"/>; returns how many writes were acknowledged.</summary>
    public static int Burst(IResourceStore store, IReadOnlyList<Scenario> scenarios, Random random, TimeSpan duration)
    {
        var writes = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var s = scenarios[random.Next(scenarios.Count)];
            writes += Touch(store, SoakSystem.AppRollouts, s.Name);
            foreach (var kind in SoakSystem.Workloads)
            {
                foreach (var workload in store.List(kind, "default").Items)
                {
                    var name = workload["metadata"]!["name"]!.GetValue<string>();
                    if (name == s.Name || name.StartsWith(s.Name + "-", StringComparison.Ordinal))
                    {
                        writes += Touch(store, kind, name);
                    }
                }
            }
        }
        return writes;
    }

    private static int Touch(IResourceStore store, ControlPlane.Resources.GroupResource kind, string name)
    {
        try
        {
            store.Mutate(kind, "default", name, obj =>
            {
                var meta = obj["metadata"]!.AsObject();
                var annotations = meta["annotations"] as System.Text.Json.Nodes.JsonObject ?? [];
                annotations[Annotation] = Guid.NewGuid().ToString("N")[..8];
                meta["annotations"] = annotations;
                return obj;
            });
            return 1;
        }
        catch (ApiException)
        {
            return 0;
        }
    }
}
