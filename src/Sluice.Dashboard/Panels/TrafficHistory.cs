using Sluice.Controllers.Operations;

namespace Sluice.Dashboard.Panels;

/// <summary>
/// Each rollout's routers over time, as the dashboard saw them: a sample is kept whenever a router's weight, matches or
/// mirror differ from the last one kept for it. The cluster keeps no such history (a route holds only its current
/// rules), so it starts when the dashboard first shows the rollout and lives as long as the dashboard. Bounded: the
/// last <see cref="PerRollout"/> samples of the last <see cref="Rollouts"/> rollouts. Thread-safe (pages render in parallel).
/// </summary>
internal sealed class TrafficHistory
{
    public const int PerRollout = 200;

    public const int Rollouts = 500;

    private readonly Lock gate = new();
    private readonly Dictionary<string, List<TrafficSample>> samples = new(StringComparer.Ordinal);
    private readonly LinkedList<string> recent = new();

    /// <summary>Keeps what <paramref name="picture"/> shows for each router that changed; returns the rollout's samples, oldest first.</summary>
    /// <param name="key">The rollout, by namespace, name and uid (a rollout deleted and created again starts afresh).</param>
    public IReadOnlyList<TrafficSample> Record(string key, TrafficPicture? picture, DateTimeOffset now)
    {
        lock (gate)
        {
            if (!samples.TryGetValue(key, out var list))
            {
                list = [];
                samples[key] = list;
            }

            recent.Remove(key);
            recent.AddFirst(key);
            while (recent.Count > Rollouts)
            {
                samples.Remove(recent.Last!.Value);
                recent.RemoveLast();
            }

            if (picture is { Problem: null })
            {
                foreach (var route in picture.Observed.Routes.Where(r => r.Exists))
                {
                    var sample = new TrafficSample(now, $"{route.Kind} {route.Name}", route.Weight, TrafficText.Matches(route.Matches), route.Mirror);
                    var last = list.LastOrDefault(s => s.Router == sample.Router);
                    if (last is null || last.Weight != sample.Weight || last.Matches != sample.Matches || last.Mirror != sample.Mirror)
                    {
                        list.Add(sample);
                    }
                }

                if (list.Count > PerRollout)
                {
                    list.RemoveRange(0, list.Count - PerRollout);
                }
            }

            return list.ToList();
        }
    }
}
