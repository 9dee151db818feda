using Sluice.Controllers.Runtime;

namespace Sluice.Controllers.Applications;

/// <summary>
/// Which Applications read which ConfigMaps and Secrets (tracked, opted out or not there yet), as their last render found,
/// so that a change of one re-renders only its readers rather than every Application of the namespace.
/// </summary>
public sealed class ConfigReaders
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Ns, string Kind, string Name), HashSet<ObjectKey>> readers = [];
    private readonly Dictionary<ObjectKey, (string Kind, string Name)[]> readBy = [];

    /// <summary>What <paramref name="application"/> reads now (replacing what it read before).</summary>
    public void Record(ObjectKey application, IEnumerable<(string Kind, string Name)> references)
    {
        var now = references.Distinct().ToArray();
        lock (gate)
        {
            foreach (var (kind, name) in readBy.GetValueOrDefault(application) ?? [])
            {
                if (readers.TryGetValue((application.Namespace, kind, name), out var set) && set.Remove(application) && set.Count == 0)
                {
                    readers.Remove((application.Namespace, kind, name));
                }
            }

            readBy[application] = now;
            foreach (var (kind, name) in now)
            {
                if (!readers.TryGetValue((application.Namespace, kind, name), out var set))
                {
                    readers[(application.Namespace, kind, name)] = set = [];
                }

                set.Add(application);
            }
        }
    }

    /// <summary>The Applications whose workloads read the <paramref name="kind"/> (ConfigMap, Secret) <paramref name="name"/>.</summary>
    public IReadOnlyList<ObjectKey> ReadersOf(string ns, string kind, string name)
    {
        lock (gate)
        {
            return readers.TryGetValue((ns, kind, name), out var set) ? [.. set] : [];
        }
    }
}
