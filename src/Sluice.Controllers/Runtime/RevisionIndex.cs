using System.Text.Json.Nodes;
using Sluice.Controllers.Workloads;

namespace Sluice.Controllers.Runtime;

/// <summary>
/// Which rollouts name which ApplicationRevision (as target or source), kept up to date from the rollout
/// informer's events, so that a revision event finds its rollouts at once instead of scanning them all
/// (a scan per revision is quadratic when thousands of applications are created together).
/// </summary>
public sealed class RevisionIndex
{
    private readonly Lock gate = new();
    private readonly Dictionary<ObjectKey, HashSet<ObjectKey>> rolloutsByRevision = [];
    private readonly Dictionary<ObjectKey, ObjectKey[]> revisionsByRollout = [];

    public void Observe(InformerEvent change)
    {
        var rollout = ObjectKey.Of(change.Object);
        var named = change.Type == InformerEventType.Deleted
            ? []
            : new[] { "spec.targetAppRevisionName", "spec.sourceAppRevisionName" }
                .Select(path => JsonPath.String(change.Object, path))
                .Where(name => !string.IsNullOrEmpty(name))
                .Select(name => new ObjectKey(rollout.Namespace, name!))
                .Distinct()
                .ToArray();
        lock (gate)
        {
            foreach (var old in revisionsByRollout.GetValueOrDefault(rollout) ?? [])
            {
                if (rolloutsByRevision.TryGetValue(old, out var set) && set.Remove(rollout) && set.Count == 0)
                {
                    rolloutsByRevision.Remove(old);
                }
            }

            if (named.Length == 0)
            {
                revisionsByRollout.Remove(rollout);
                return;
            }

            revisionsByRollout[rollout] = named;
            foreach (var revision in named)
            {
                if (!rolloutsByRevision.TryGetValue(revision, out var set))
                {
                    rolloutsByRevision[revision] = set = [];
                }

                set.Add(rollout);
            }
        }
    }

    /// <summary>The rollouts that name <paramref name="revision"/> (namespace/name).</summary>
    public IReadOnlyList<ObjectKey> RolloutsOf(ObjectKey revision)
    {
        lock (gate)
        {
            return rolloutsByRevision.TryGetValue(revision, out var set) ? [.. set] : [];
        }
    }
}
