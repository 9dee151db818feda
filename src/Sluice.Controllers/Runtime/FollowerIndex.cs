using Sluice.Controllers.Workloads;

namespace Sluice.Controllers.Runtime;

/// <summary>
/// Which rollouts follow which Application (<c>spec.follow.application</c>), kept up to date from the rollout informer's
/// events, so that a new ApplicationRevision finds its followers at once (it is named by none of them yet).
/// </summary>
public sealed class FollowerIndex
{
    private readonly Lock gate = new();
    private readonly Dictionary<ObjectKey, HashSet<ObjectKey>> followersByApplication = [];
    private readonly Dictionary<ObjectKey, ObjectKey> applicationByRollout = [];

    public void Observe(InformerEvent change)
    {
        var rollout = ObjectKey.Of(change.Object);
        var followed = change.Type == InformerEventType.Deleted ? null : JsonPath.String(change.Object, "spec.follow.application");
        lock (gate)
        {
            if (applicationByRollout.Remove(rollout, out var old) && followersByApplication.TryGetValue(old, out var set) && set.Remove(rollout) && set.Count == 0)
            {
                followersByApplication.Remove(old);
            }

            if (string.IsNullOrEmpty(followed))
            {
                return;
            }

            var app = new ObjectKey(rollout.Namespace, followed);
            applicationByRollout[rollout] = app;
            if (!followersByApplication.TryGetValue(app, out var followers))
            {
                followersByApplication[app] = followers = [];
            }

            followers.Add(rollout);
        }
    }

    /// <summary>The rollouts that follow the Application <paramref name="application"/> (namespace/name).</summary>
    public IReadOnlyList<ObjectKey> RolloutsFollowing(ObjectKey application)
    {
        lock (gate)
        {
            return followersByApplication.TryGetValue(application, out var set) ? [.. set] : [];
        }
    }
}
