using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Simulator.Controllers;

/// <summary>
/// ControllerRevisions, as StatefulSet, DaemonSet and CloneSet controllers keep them: one per distinct pod
/// template, named <c>owner-hash</c>, holding <c>data.spec.template</c> and a revision number; unused ones
/// beyond <c>revisionHistoryLimit</c> (default 10) are deleted, oldest first.
/// </summary>
internal static class Revisions
{
    /// <summary>
    /// The revision for the owner's current template: an existing one with the same template, or a new one
    /// to create (<paramref name="create"/>). Null when the name is taken by another template: bump collisionCount.
    /// </summary>
    public static JsonObject? ForTemplate(JsonObject owner, string apiVersion, string kind, IReadOnlyList<JsonObject> revisions,
        long collisionCount, out JsonObject? create)
    {
        create = null;
        var template = Json.At(owner, "spec", "template");
        var canonical = Json.Canonical(template);
        var existing = revisions.Where(r => Json.Canonical(Template(r)) == canonical).OrderByDescending(Number).FirstOrDefault();
        if (existing is not null)
        {
            return existing;
        }
        var hash = TemplateHash.Compute(template, collisionCount);
        var name = $"{Json.Name(owner)}-{hash}";
        if (revisions.Any(r => Json.Name(r) == name))
        {
            return null;
        }
        create = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ControllerRevision",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = Json.Namespace(owner),
                ["labels"] = new JsonObject { ["controller-revision-hash"] = hash },
                ["ownerReferences"] = new JsonArray(Json.OwnerReference(apiVersion, kind, owner)),
            },
            ["data"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = template?.DeepClone() } },
            ["revision"] = revisions.Select(Number).DefaultIfEmpty(0).Max() + 1,
        };
        return create;
    }

    /// <summary>
    /// The current revision: the one status names, else (status not written yet) the one most pods run.
    /// Null when neither exists.
    /// </summary>
    public static JsonObject? Current(JsonObject status, IReadOnlyList<JsonObject> revisions, IReadOnlyList<JsonObject> pods, string label)
    {
        if (revisions.FirstOrDefault(r => Json.Name(r) == Json.Str(status, "currentRevision")) is { } named)
        {
            return named;
        }
        var byName = revisions.ToDictionary(Json.Name);
        return pods.Select(p => Json.Label(p, label)).Where(byName.ContainsKey).GroupBy(n => n)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => byName[g.Key]).FirstOrDefault();
    }

    public static JsonNode? Template(JsonObject revision) => Json.At(revision, "data", "spec", "template");

    public static long Number(JsonObject revision) => Json.Long(revision, "revision") ?? 0;

    /// <summary>The hash part of a revision's name (DaemonSet pods carry it; StatefulSet and CloneSet pods carry the name).</summary>
    public static string Hash(JsonObject revision) =>
        Json.Label(revision, "controller-revision-hash") is { Length: > 0 } hash ? hash : Json.Name(revision)[(Json.Name(revision).LastIndexOf('-') + 1)..];

    /// <summary>Revisions no pod uses and that are neither current nor update, beyond the history limit.</summary>
    public static IEnumerable<JsonObject> Expired(JsonObject owner, IReadOnlyList<JsonObject> revisions, ISet<string> live)
    {
        var limit = Json.Int(owner, 10, "spec", "revisionHistoryLimit");
        var idle = revisions.Where(r => !live.Contains(Json.Name(r))).OrderBy(Number).ToList();
        return idle.Take(Math.Max(0, idle.Count - limit));
    }

    public static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);
}
