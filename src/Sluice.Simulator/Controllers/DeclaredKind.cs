using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// A workload kind declared by a <c>WorkloadKind</c> (rollout.sluice.dev/v1alpha1) that the simulator runs generically,
/// with its CloneSet's partition semantics, reading and writing the declared paths. Only what a simulated controller
/// can play is run: an <c>InPlace</c> kind with a replicas path, whose partition counts pods (not ordinals); others
/// are left alone (<see cref="Parse"/> says why).
/// </summary>
internal sealed record DeclaredKind(
    string Declaration,
    string ApiVersion,
    string Kind,
    GroupResource Resource,
    string[] Replicas,
    string[] Template,
    string[] Partition,
    bool CountsFromTop,
    string[]? Paused,
    string[]? MaxUnavailable,
    IReadOnlyDictionary<string, string[]> Status)
{
    /// <summary>The kind the declaration describes, or why the simulator does not run it.</summary>
    public static (DeclaredKind? Kind, string? NotRun) Parse(JsonObject workloadKind)
    {
        var spec = Json.At(workloadKind, "spec");
        string[]? PathOf(params string[] at) => Json.Str(spec, at) is { Length: > 0 } text ? (text.StartsWith('.') ? text[1..] : text).Split('.') : null;
        var (group, version, kind) = (Json.Str(spec, "group"), Json.Str(spec, "version"), Json.Str(spec, "kind"));
        if (group.Length == 0 || version.Length == 0 || kind.Length == 0)
        {
            return (null, "no group, version or kind");
        }
        if (Json.Str(spec, "style") is { Length: > 0 } style && style != "InPlace")
        {
            return (null, $"style {style}");
        }
        if (Json.Bool(spec, "ordinals"))
        {
            return (null, "ordinals: the simulator's generic controller counts pods, as a CloneSet does");
        }
        var replicas = PathOf("paths", "replicas");
        var template = PathOf("paths", "template");
        var partition = PathOf("paths", "partition");
        if (replicas is null || template is null || partition is null)
        {
            return (null, "no replicas, template or partition path");
        }
        var plural = Json.Str(spec, "plural") is { Length: > 0 } p ? p : Plural(kind);
        var status = new Dictionary<string, string[]>();
        foreach (var field in (string[])["observedGeneration", "replicas", "readyReplicas", "availableReplicas", "updatedReplicas", "updatedReadyReplicas"])
        {
            if (PathOf("status", field) is { } path && path[0] == "status")
            {
                status[field] = path;
            }
        }
        return (new DeclaredKind(Json.Name(workloadKind), $"{group}/{version}", kind, new GroupResource(group, plural), replicas, template, partition,
            Json.Str(spec, "partitionCountsFrom") != "Bottom", PathOf("paths", "paused"), PathOf("paths", "maxUnavailable"), status), null);
    }

    /// <summary>
    /// By value, paths included (a record compares its arrays by reference): the simulator keeps a declared kind running
    /// across WorkloadKind events that do not change what it declares (its status, say), rather than restarting its cache.
    /// </summary>
    public bool Equals(DeclaredKind? other) => other is not null && Signature == other.Signature;

    public override int GetHashCode() => Signature.GetHashCode(StringComparison.Ordinal);

    private string Signature => string.Join('|',
        Declaration, ApiVersion, Kind, Resource.ToString(), Path(Replicas), Path(Template), Path(Partition), CountsFromTop ? "top" : "bottom",
        Path(Paused), Path(MaxUnavailable), string.Join(',', Status.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={Path(s.Value)}")));

    private static string Path(string[]? path) => path is null ? "-" : string.Join('.', path);

    private static string Plural(string kind)
    {
        var lower = kind.ToLowerInvariant();
        return lower.EndsWith('s') || lower.EndsWith('x') ? lower + "es" : lower.EndsWith('y') ? lower[..^1] + "ies" : lower + "s";
    }
}
