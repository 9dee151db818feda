using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// How a rollout marks the workloads it drives: annotations on the object (which rollout holds it, which
/// revision its template is) and a label in the pod template, so pods of any kind can be counted per revision.
/// The owner reference is the Application's, never the rollout's: deleting a rollout must not garbage-collect the
/// workload, deleting the Application must (as it does for the workloads the Application controller applies).
/// </summary>
public static class WorkloadMarks
{
    public const string ControlledBy = "rollout.sluice.dev/controlled-by";
    public const string Revision = "rollout.sluice.dev/revision";
    public const string TemplateHashLabel = "rollout.sluice.dev/template-hash";

    /// <summary>
    /// The revision's name on its pods (e.g. test-rolling-v2), beside the hash: what metrics call the version (the simulated
    /// data plane's <c>destination_version</c>; a label Prometheus relabelling can use on a cluster). Stamped when the name is
    /// a valid label value (at most 63 characters).
    /// </summary>
    public const string RevisionLabel = "rollout.sluice.dev/revision";

    private static readonly System.Text.RegularExpressions.Regex LabelValue =
        new("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The workload's size when the rollout first took it over: what a restarted controller must resume from.</summary>
    public const string OriginalSize = "rollout.sluice.dev/original-size";

    /// <summary>"namespace/name/uid" of the rollout.</summary>
    public static string Holder(RolloutTarget target) => Holder(target.RolloutNamespace, target.RolloutName, target.RolloutUid);

    public static string Holder(string ns, string name, string uid) => $"{ns}/{name}/{uid}";

    public static bool HeldBy(JsonNode? workload, RolloutTarget target) => JsonPath.Annotation(workload, ControlledBy) == Holder(target);

    /// <summary>
    /// Marks the workload as the rollout's. The first take-over also records the size the rollout started from:
    /// a controller killed after changing the workload but before writing the rollout's status must not
    /// mistake the size it set for the original.
    /// </summary>
    public static void Hold(JsonObject workload, RolloutTarget target)
    {
        if (!HeldBy(workload, target) || JsonPath.Annotation(workload, OriginalSize) is null)
        {
            SetMapEntry(workload, "metadata.annotations", OriginalSize, target.OriginalSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        SetMapEntry(workload, "metadata.annotations", ControlledBy, Holder(target));
        if (target.Application is { } application)
        {
            Own(workload, application);
        }
    }

    /// <summary>
    /// Adds <paramref name="owner"/> to the workload's owner references unless it is there (by uid); it is the
    /// controller unless another owner already is (Kubernetes allows one).
    /// </summary>
    public static void Own(JsonObject workload, Sluice.Core.Api.OwnerReference owner)
    {
        var references = JsonPath.Get(workload, "metadata.ownerReferences") as JsonArray;
        if (references?.Any(r => JsonPath.String(r, "uid") == owner.Uid) == true)
        {
            return;
        }

        if (references is null)
        {
            references = [];
            JsonPath.Set(workload, "metadata.ownerReferences", references);
        }

        references.Add(new JsonObject
        {
            ["apiVersion"] = owner.ApiVersion,
            ["kind"] = owner.Kind,
            ["name"] = owner.Name,
            ["uid"] = owner.Uid,
            ["controller"] = !references.Any(r => JsonPath.Get(r, "controller") is JsonValue c && c.GetValueKind() == System.Text.Json.JsonValueKind.True),
            ["blockOwnerDeletion"] = true,
        });
    }

    /// <summary>Gives the workload back: no rollout holds it, nothing recorded for one.</summary>
    public static void Release(JsonObject workload)
    {
        SetMapEntry(workload, "metadata.annotations", ControlledBy, null);
        SetMapEntry(workload, "metadata.annotations", OriginalSize, null);
    }

    /// <summary>The original size recorded when the rollout <paramref name="holder"/> took the workload over, if it holds it.</summary>
    public static int? RecordedOriginalSize(JsonNode? workload, string holder) =>
        JsonPath.Annotation(workload, ControlledBy) == holder
        && int.TryParse(JsonPath.Annotation(workload, OriginalSize), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size)
            ? size
            : null;

    /// <summary>Another rollout holds the workload: its name, or null.</summary>
    public static string? HeldByAnother(JsonNode? workload, RolloutTarget target) =>
        JsonPath.Annotation(workload, ControlledBy) is { Length: > 0 } holder && holder != Holder(target)
            ? string.Join('/', holder.Split('/').Take(2))
            : null;

    /// <summary>Why <paramref name="reference"/>'s object may not be taken over (another rollout holds it), or null.</summary>
    public static async Task<string?> VerifyNotHeldByAnotherAsync(IKubeApi api, ResourceKind kind, WorkloadReference reference, RolloutTarget target, CancellationToken cancellationToken)
    {
        var workload = await api.GetAsync(kind, reference.Namespace, reference.Name, cancellationToken);
        return HeldByAnother(workload, target) is { } other
            ? $"{kind.Kind} {reference.Name} is held by rollout {other}; it must finish or be deleted first"
            : null;
    }

    public static string? TemplateRevision(JsonNode? workload) => JsonPath.Annotation(workload, Revision);

    /// <summary>A short, stable hash of a pod template (the revision's identity on pods).</summary>
    public static string Hash(JsonNode? template)
    {
        var canonical = Canonical(template);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(bytes)[..10];
    }

    /// <summary>The revision's pod template (at <paramref name="templatePath"/>) with the template-hash and revision labels added.</summary>
    public static JsonObject StampedTemplate(WorkloadReference reference, string templatePath = "spec.template")
    {
        var template = JsonPath.Get(reference.Manifest, templatePath)?.DeepClone() as JsonObject ?? new JsonObject();
        SetMapEntry(template, "metadata.labels", TemplateHashLabel, reference.TemplateHash);
        if (LabelValue.IsMatch(reference.RevisionName))
        {
            SetMapEntry(template, "metadata.labels", RevisionLabel, reference.RevisionName);
        }

        return template;
    }

    /// <summary>Sets <paramref name="key"/> (which may contain dots) in the map at <paramref name="mapPath"/>; null removes it.</summary>
    public static void SetMapEntry(JsonObject obj, string mapPath, string key, string? value)
    {
        if (JsonPath.Get(obj, mapPath) is not JsonObject map)
        {
            if (value is null)
            {
                return;
            }

            map = new JsonObject();
            JsonPath.Set(obj, mapPath, map);
        }

        if (value is null)
        {
            map.Remove(key);
        }
        else
        {
            map[key] = value;
        }
    }

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray array => "[" + string.Join(",", array.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
