using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sluice.Controllers.Kube;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Workloads;

/// <summary>
/// A <c>WorkloadKind</c> (<c>rollout.sluice.dev/v1alpha1</c>, cluster-scoped) read and checked: how the generic
/// <see cref="DeclaredWorkloadAdapter"/> drives a kind Sluice does not know, by dotted paths into its objects.
/// <see cref="Parse"/> refuses, naming the field, whatever the paths cannot support before anything is touched; the
/// kind's CRD schema is checked separately (<see cref="WorkloadKindSchema"/>).
/// </summary>
/// <example>
/// OpenKruise's Advanced StatefulSet: replicas <c>spec.replicas</c>, template <c>spec.template</c>, partition
/// <c>spec.updateStrategy.rollingUpdate.partition</c> counted from the top (pods kept on the old revision) by ordinal,
/// pause <c>spec.updateStrategy.rollingUpdate.paused</c>, and its status' observedGeneration, replicas, updatedReplicas,
/// readyReplicas and updatedReadyReplicas (deploy/workloadkinds/advanced-statefulset.yaml).
/// </example>
public sealed partial record WorkloadDeclaration
{
    public const string Group = "rollout.sluice.dev";
    public const string Version = "v1alpha1";
    public const string KindName = "WorkloadKind";

    public static readonly ResourceKind Resource = new(Group, Version, KindName, "workloadkinds", Namespaced: false);

    /// <summary>The declaration's own name (cluster-scoped; by convention <c>&lt;plural&gt;.&lt;group&gt;</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The kind driven, with its plural (the REST path).</summary>
    public required ResourceKind Kind { get; init; }

    public WorkloadStyle Style { get; init; } = WorkloadStyle.InPlace;

    /// <summary>The spec field holding the number of pods; null for a kind that sizes itself (one pod per node), whose size is <see cref="StatusReplicas"/>.</summary>
    public string? Replicas { get; init; }

    /// <summary>The pod template.</summary>
    public required string Template { get; init; }

    /// <summary>The partition a batch is asked for with.</summary>
    public required string Partition { get; init; }

    /// <summary>
    /// Top (true): the partition is how many pods stay on the old revision (CloneSet, StatefulSet, Advanced DaemonSet:
    /// upgraded = replicas - partition). Bottom (false): how many pods run the new one (upgraded = partition).
    /// </summary>
    public bool CountsFromTop { get; init; } = true;

    /// <summary>The kind updates the pods whose ordinal is at or above the partition (StatefulSet); the partition is worked out from the ordinals already on the target.</summary>
    public bool Ordinals { get; init; }

    /// <summary>A boolean that stops the kind's own rolling, or null (then the partition alone holds pods).</summary>
    public string? Paused { get; init; }

    /// <summary>Where a rollback's <c>maxUnavailable</c> goes, or null.</summary>
    public string? MaxUnavailable { get; init; }

    public required string ObservedGeneration { get; init; }

    public string? StatusReplicas { get; init; }

    public string? UpdatedReplicas { get; init; }

    public string? ReadyReplicas { get; init; }

    public string? UpdatedReadyReplicas { get; init; }

    /// <summary>Every status count is declared: the snapshot reads them (else it counts the pods by their template-hash label).</summary>
    public bool CountsFromStatus => StatusReplicas is not null && UpdatedReplicas is not null && ReadyReplicas is not null && UpdatedReadyReplicas is not null;

    /// <summary>Every path with the field that names it, for the schema check.</summary>
    public IEnumerable<(string Field, string Path, PathType Type)> Paths()
    {
        if (Replicas is not null)
        {
            yield return ("spec.paths.replicas", Replicas, PathType.Integer);
        }

        yield return ("spec.paths.template", Template, PathType.Object);
        yield return ("spec.paths.partition", Partition, PathType.IntOrString);
        if (Paused is not null)
        {
            yield return ("spec.paths.paused", Paused, PathType.Boolean);
        }

        if (MaxUnavailable is not null)
        {
            yield return ("spec.paths.maxUnavailable", MaxUnavailable, PathType.IntOrString);
        }

        yield return ("spec.status.observedGeneration", ObservedGeneration, PathType.Integer);
        foreach (var (field, path) in new[] { ("replicas", StatusReplicas), ("updatedReplicas", UpdatedReplicas), ("readyReplicas", ReadyReplicas), ("updatedReadyReplicas", UpdatedReadyReplicas) })
        {
            if (path is not null)
            {
                yield return ($"spec.status.{field}", path, PathType.Integer);
            }
        }
    }

    /// <summary>The declaration, or the first thing wrong with it (field, value, why).</summary>
    public static (WorkloadDeclaration? Declaration, string? Problem) Parse(JsonObject workloadKind)
    {
        var name = JsonPath.String(workloadKind, "metadata.name") ?? string.Empty;
        var spec = JsonPath.Get(workloadKind, "spec") as JsonObject;
        if (spec is null)
        {
            return Refuse("spec: Required value");
        }

        string? Text(string field) => JsonPath.String(spec, field) is { Length: > 0 } text ? text : null;

        if (Text("group") is not { } group)
        {
            return Refuse("spec.group: Required value: the kind's API group, e.g. apps.kruise.io");
        }

        if (Text("version") is not { } version)
        {
            return Refuse("spec.version: Required value: the kind's API version, e.g. v1beta1");
        }

        if (Text("kind") is not { } kind)
        {
            return Refuse("spec.kind: Required value: the kind, e.g. StatefulSet");
        }

        var plural = Text("plural") ?? ResourceKinds.For($"{group}/{version}", kind).Plural;
        if (!Segment().IsMatch(plural))
        {
            return Refuse($"spec.plural: Invalid value: \"{plural}\": a resource name (lower case letters, digits and '-')");
        }

        var style = Text("style") ?? "InPlace";
        if (style == "TwoObject")
        {
            return Refuse("spec.style: Unsupported value: \"TwoObject\": Sluice drives declared kinds in place only (one object whose partition decides how many "
                + "pods run the new revision); a kind with one object per revision needs what paths cannot say (which objects are siblings, when to delete "
                + "the source), as the built-in Deployment adapter does");
        }

        if (style != "InPlace")
        {
            return Refuse($"spec.style: Unsupported value: \"{style}\": supported values: \"InPlace\", \"TwoObject\" (refused: see docs/workloads.md)");
        }

        var paths = JsonPath.Get(spec, "paths") as JsonObject;
        if (paths is null)
        {
            return Refuse("spec.paths: Required value: the paths of the pod template and the partition (and of replicas, unless the kind sizes itself)");
        }

        var status = JsonPath.Get(spec, "status") as JsonObject;
        if (status is null)
        {
            return Refuse("spec.status: Required value: the path of observedGeneration at least");
        }

        string? problem = null;
        string? PathAt(JsonObject where, string field, string key)
        {
            var node = where[key];
            if (node is null)
            {
                return null;
            }

            if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String || value.GetValue<string>().Trim() is not { Length: > 0 } text)
            {
                problem ??= $"{field}: Invalid value: {node.ToJsonString()}: a dotted path such as spec.updateStrategy.partition";
                return null;
            }

            var path = text.StartsWith('.') ? text[1..] : text;
            if (!path.Split('.').All(s => Key().IsMatch(s)))
            {
                problem ??= $"{field}: Invalid value: \"{text}\": a dotted path of field names such as spec.updateStrategy.partition (no brackets, filters or wildcards)";
                return null;
            }

            return path;
        }

        var replicas = PathAt(paths, "spec.paths.replicas", "replicas");
        var template = PathAt(paths, "spec.paths.template", "template");
        var partition = PathAt(paths, "spec.paths.partition", "partition");
        var paused = PathAt(paths, "spec.paths.paused", "paused");
        var maxUnavailable = PathAt(paths, "spec.paths.maxUnavailable", "maxUnavailable");
        var observed = PathAt(status, "spec.status.observedGeneration", "observedGeneration");
        var statusReplicas = PathAt(status, "spec.status.replicas", "replicas");
        var updated = PathAt(status, "spec.status.updatedReplicas", "updatedReplicas");
        var ready = PathAt(status, "spec.status.readyReplicas", "readyReplicas");
        var updatedReady = PathAt(status, "spec.status.updatedReadyReplicas", "updatedReadyReplicas");
        if (problem is not null)
        {
            return Refuse(problem);
        }

        if (template is null)
        {
            return Refuse("spec.paths.template: Required value: the pod template (the revision's identity on pods is stamped into it)");
        }

        if (partition is null)
        {
            return Refuse("spec.paths.partition: Required value: an InPlace kind is rolled by its partition (how many pods stay on, or move to, the new revision); "
                + "a kind without one cannot be held between batches");
        }

        if (observed is null)
        {
            return Refuse("spec.status.observedGeneration: Required value: without it Sluice cannot tell whether the kind's controller has seen a change");
        }

        if (replicas is null && statusReplicas is null)
        {
            return Refuse("spec.status.replicas: Required value: a kind without spec.paths.replicas sizes itself (one pod per node), and its size is read from this status field");
        }

        if (template.StartsWith("status.", StringComparison.Ordinal) || partition.StartsWith("status.", StringComparison.Ordinal)
            || replicas?.StartsWith("status.", StringComparison.Ordinal) == true || paused?.StartsWith("status.", StringComparison.Ordinal) == true)
        {
            var (field, path) = template.StartsWith("status.", StringComparison.Ordinal) ? ("spec.paths.template", template)
                : partition.StartsWith("status.", StringComparison.Ordinal) ? ("spec.paths.partition", partition)
                : replicas?.StartsWith("status.", StringComparison.Ordinal) == true ? ("spec.paths.replicas", replicas) : ("spec.paths.paused", paused!);
            return Refuse($"{field}: Invalid value: \"{path}\": a field Sluice writes must be in the spec, not the status (the kind's controller owns its status)");
        }

        var countsFrom = Text("partitionCountsFrom") ?? "Top";
        if (countsFrom is not ("Top" or "Bottom"))
        {
            return Refuse($"spec.partitionCountsFrom: Unsupported value: \"{countsFrom}\": supported values: \"Top\" (the partition is how many pods stay on the old revision), "
                + "\"Bottom\" (how many run the new one)");
        }

        var ordinals = JsonPath.Get(spec, "ordinals") is JsonValue o && o.GetValueKind() == JsonValueKind.True;
        if (ordinals && countsFrom == "Bottom")
        {
            return Refuse("spec.ordinals: Invalid value: true: a kind that updates pods by ordinal counts its partition from the top (the ordinal at and above which "
                + "pods are updated); set spec.partitionCountsFrom: Top");
        }

        if (ordinals && replicas is null)
        {
            return Refuse("spec.ordinals: Invalid value: true: pods numbered by ordinal need spec.paths.replicas");
        }

        var declaration = new WorkloadDeclaration
        {
            Name = name,
            Kind = new ResourceKind(group, version, kind, plural),
            Replicas = replicas,
            Template = template,
            Partition = partition,
            CountsFromTop = countsFrom == "Top",
            Ordinals = ordinals,
            Paused = paused,
            MaxUnavailable = maxUnavailable,
            ObservedGeneration = observed,
            StatusReplicas = statusReplicas,
            UpdatedReplicas = updated,
            ReadyReplicas = ready,
            UpdatedReadyReplicas = updatedReady,
        };
        var duplicate = declaration.Paths().Where(p => !p.Field.StartsWith("spec.status.", StringComparison.Ordinal))
            .GroupBy(p => p.Path).FirstOrDefault(g => g.Count() > 1);
        return duplicate is not null
            ? Refuse($"{duplicate.Last().Field}: Invalid value: \"{duplicate.Key}\": also {duplicate.First().Field}; each field Sluice writes must be its own")
            : (declaration, null);

        static (WorkloadDeclaration?, string?) Refuse(string message) => (null, message);
    }

    /// <summary>Whether the kind's paths exist on <paramref name="workload"/> (a rendered or live object): a problem naming the field, or null.</summary>
    public string? MissingOn(JsonObject workload, string what)
    {
        if (JsonPath.Get(workload, Template) is not JsonObject)
        {
            return $"spec.paths.template: {Template} is not an object on {what} (WorkloadKind {Name}): the declaration does not fit the objects it is meant to drive";
        }

        if (Replicas is not null && JsonPath.Get(workload, Replicas) is { } replicas
            && (replicas is not JsonValue value || value.GetValueKind() != JsonValueKind.Number))
        {
            return $"spec.paths.replicas: {Replicas} is {replicas.ToJsonString()} on {what} (WorkloadKind {Name}), not a number";
        }

        return null;
    }

    public enum PathType
    {
        Integer,
        IntOrString,
        Boolean,
        Object,
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Segment();

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$-]*$")]
    private static partial Regex Key();
}
