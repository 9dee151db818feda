namespace Sluice.Controllers.Runtime;

/// <summary>
/// Tells an informer event that can change what the Application controller renders (a new generation, labels or
/// annotations, a deletion) from one that only carries the status it wrote itself, which it need not render again.
/// A resync or a first sight always counts.
/// </summary>
public sealed class AppSpecVersions
{
    private readonly Lock gate = new();
    private readonly Dictionary<ObjectKey, string> seen = [];

    public bool Changed(InformerEvent change)
    {
        var key = ObjectKey.Of(change.Object);
        lock (gate)
        {
            if (change.Type == InformerEventType.Deleted)
            {
                seen.Remove(key);
                return true;
            }

            var metadata = change.Object["metadata"];
            var fingerprint = string.Join('\n',
                metadata?["generation"]?.ToJsonString(),
                metadata?["labels"]?.ToJsonString(),
                metadata?["annotations"]?.ToJsonString(),
                metadata?["deletionTimestamp"]?.ToJsonString());
            var changed = change.Type == InformerEventType.Resync || !seen.TryGetValue(key, out var before) || before != fingerprint;
            seen[key] = fingerprint;
            return changed;
        }
    }
}
