using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;

namespace Sluice.Controllers.Applications;

/// <summary>
/// Config tracking (Sluice): the ConfigMaps and Secrets a rendered workload reads are part of its revision. Each one is
/// hashed (its data), and the workload is pointed at an immutable copy named <c>&lt;name&gt;-&lt;hash&gt;</c>, owned by the
/// Application: a change of the data is a new hash, so a new copy, a new pod template and a new revision, which rolls out
/// through the plan like an image change. Pods of the old revision keep reading the old copy (they are never told about
/// the change), the new pods read the new one, and a rollback puts the old template back, with the old copy's data.
/// An object annotated <see cref="OptOutAnnotation"/>: "false" is not tracked (read by its own name, as before).
/// </summary>
internal sealed class ConfigCopies(IKubeApi api)
{
    /// <summary>On a ConfigMap or Secret: "false" leaves it untracked (its changes make no revision, pods read it directly).</summary>
    public const string OptOutAnnotation = "rollout.sluice.dev/track";

    /// <summary>On a copy: the name of the object it copies.</summary>
    public const string CopyOfLabel = "rollout.sluice.dev/config-of";

    /// <summary>On an ApplicationRevision: the hash of every tracked object, <c>{"ConfigMap/name": "hash", ...}</c>.</summary>
    public const string HashesAnnotation = "rollout.sluice.dev/config-hashes";

    private static readonly ResourceKind ConfigMapKind = ResourceKinds.For("v1", ConfigReferences.ConfigMap);

    /// <summary>One tracked object: what the workload referenced, its hash, and the copy it reads instead.</summary>
    public sealed record Tracked(string Kind, string Name, string Hash, JsonObject Copy)
    {
        public string CopyName => JsonPath.String(Copy, "metadata.name")!;
    }

    public static ResourceKind KindOf(string kind) => kind == ConfigReferences.Secret ? ResourceKind.Secret : ConfigMapKind;

    /// <summary>
    /// Finds what <paramref name="workload"/> references, points it at the copies (in place) and returns them; a referenced
    /// object that does not exist or opts out is left as it is.
    /// </summary>
    public async Task<IReadOnlyList<Tracked>> TrackAsync(JsonObject workload, string ns, string app, CancellationToken cancellationToken)
    {
        var tracked = new Dictionary<(string, string), Tracked>();
        foreach (var (kind, name) in ConfigReferences.Find(workload))
        {
            if (await api.GetAsync(KindOf(kind), ns, name, cancellationToken) is not { } original
                || JsonPath.Annotation(original, OptOutAnnotation) == "false"
                || (JsonPath.Get(original, "metadata.labels") as JsonObject)?[CopyOfLabel] is not null)
            {
                continue;
            }

            var content = new JsonObject
            {
                ["kind"] = kind,
                ["data"] = original["data"]?.DeepClone(),
                ["binaryData"] = original["binaryData"]?.DeepClone(),
                ["stringData"] = original["stringData"]?.DeepClone(),
                ["type"] = original["type"]?.DeepClone(),
            };
            var hash = WorkloadMarks.Hash(content);
            var copyName = $"{(name.Length > 242 ? name[..242] : name)}-{hash}";
            var copy = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = kind,
                ["metadata"] = new JsonObject
                {
                    ["name"] = copyName,
                    ["namespace"] = ns,
                    ["labels"] = new JsonObject { [ApplicationReconciler.AppNameLabel] = app, [CopyOfLabel] = name },
                },
                ["immutable"] = true,
            };
            foreach (var field in (string[])["data", "binaryData", "stringData", "type"])
            {
                if (original[field] is { } value)
                {
                    copy[field] = value.DeepClone();
                }
            }

            tracked[(kind, name)] = new Tracked(kind, name, hash, copy);
        }

        ConfigReferences.Rename(workload, (kind, name) => tracked.TryGetValue((kind, name), out var t) ? t.CopyName : null);
        return [.. tracked.Values];
    }

    /// <summary>Creates the copies that do not exist yet, owned by the Application (copies are immutable: an existing one is right).</summary>
    public async Task EnsureAsync(IEnumerable<Tracked> tracked, JsonObject application, string ns, CancellationToken cancellationToken)
    {
        foreach (var copy in tracked.DistinctBy(t => (t.Kind, t.CopyName)))
        {
            if (await api.GetAsync(KindOf(copy.Kind), ns, copy.CopyName, cancellationToken) is not null)
            {
                continue;
            }

            var created = copy.Copy.DeepClone().AsObject();
            created["metadata"]!["ownerReferences"] = new JsonArray(ResourceApplier.Owner(application));
            try
            {
                await api.CreateAsync(KindOf(copy.Kind), ns, created, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                // made meanwhile (an earlier reconcile): same name, same data
            }
        }
    }

    /// <summary>The revision annotation's value: each tracked object's hash, by kind/name.</summary>
    public static string Hashes(IEnumerable<Tracked> tracked) =>
        new JsonObject(tracked.OrderBy(t => t.Kind, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => KeyValuePair.Create($"{t.Kind}/{t.Name}", (JsonNode?)JsonValue.Create(t.Hash)))).ToJsonString();
}
