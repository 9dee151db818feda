using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;

namespace Sluice.ControlPlane.Patching;

/// <summary>
/// <c>metadata.managedFields</c> as kube-apiserver keeps them: one entry per manager and operation (Apply or Update)
/// with the fields it owns (FieldsV1). An update (create, PUT, PATCH through the API, by the request's
/// <c>fieldManager</c>) takes ownership of the fields it changed; a server-side apply owns the fields its
/// configuration sets, conflicts (409) with any other manager owning one of them at a different value unless forced
/// (<c>force=true</c>, <c>kubectl apply --server-side --force-conflicts</c>), which takes them over; and a field the
/// manager applied before, no longer applies and nobody else owns is removed.
/// </summary>
internal static class ManagedFields
{
    private sealed record Entry(string Manager, string Operation, string ApiVersion, string Time, FieldSet Fields, JsonObject Raw);

    /// <summary>Records an update by <paramref name="manager"/> from <paramref name="before"/> (null: a create) to <paramref name="after"/>.</summary>
    public static void RecordUpdate(JsonObject? before, JsonObject after, string manager, string apiVersion, string time)
    {
        var entries = Entries(before ?? after);
        var afterSet = FieldSet.Of(after);
        var beforeSet = before is null ? FieldSet.Empty : FieldSet.Of(before);
        var changed = afterSet.Paths.Where(p => before is null || !FieldSet.SameValue(before, after, p)).ToList();
        var removed = beforeSet.Paths.Where(p => !afterSet.Contains(p)).ToList();
        if (changed.Count == 0 && removed.Count == 0)
        {
            return;
        }
        var taken = changed.Concat(removed).ToList();
        var next = entries.Select(e => e with { Fields = e.Fields.Except(taken) }).ToList();
        var own = next.FindIndex(e => e.Manager == manager && e.Operation == "Update");
        var ownFields = (own >= 0 ? next[own].Fields : FieldSet.Empty).Union(FieldSet.FromPaths(changed)).Except(removed);
        var entry = new Entry(manager, "Update", apiVersion, time, ownFields, []);
        if (own >= 0)
        {
            next[own] = entry;
        }
        else
        {
            next.Add(entry);
        }
        Write(after, next);
    }

    /// <summary>
    /// Takes ownership for an apply by <paramref name="manager"/> of the fields <paramref name="applied"/> sets; throws 409
    /// naming every conflicting manager and field unless <paramref name="force"/>. <paramref name="merged"/> is the live object
    /// with the configuration merged in; fields the manager no longer applies and nobody else owns are removed from it.
    /// </summary>
    public static void RecordApply(JsonObject? live, JsonObject applied, JsonObject merged, string manager, string apiVersion, string time, bool force)
    {
        var entries = live is null ? [] : Entries(live);
        var appliedSet = FieldSet.Of(applied);
        var conflicts = new List<(Entry Entry, string Path)>();
        foreach (var entry in entries.Where(e => !(e.Manager == manager && e.Operation == "Apply")))
        {
            foreach (var path in entry.Fields.Intersect(appliedSet))
            {
                if (!FieldSet.SameValue(live!, applied, path))
                {
                    conflicts.Add((entry, path));
                }
            }
        }
        if (conflicts.Count > 0 && !force)
        {
            throw Conflict(conflicts);
        }
        var taken = conflicts.Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        var next = entries.Select(e => e.Manager == manager && e.Operation == "Apply" ? e : e with { Fields = e.Fields.Except(taken) }).ToList();
        var previous = next.FindIndex(e => e.Manager == manager && e.Operation == "Apply");
        if (previous >= 0)
        {
            var others = next.Where((_, i) => i != previous).Aggregate(FieldSet.Empty, (all, e) => all.Union(e.Fields));
            foreach (var dropped in next[previous].Fields.Paths.Where(p => !appliedSet.Contains(p) && !others.Contains(p))
                .OrderByDescending(p => p.Length))
            {
                FieldSet.Remove(merged, dropped);
            }
            var unchanged = next[previous].Fields.Paths.Count == appliedSet.Count && appliedSet.Paths.All(next[previous].Fields.Contains);
            next[previous] = new Entry(manager, "Apply", apiVersion, unchanged ? next[previous].Time : time, appliedSet, []);
        }
        else
        {
            next.Add(new Entry(manager, "Apply", apiVersion, time, appliedSet, []));
        }
        Write(merged, next);
    }

    /// <summary>kube-apiserver's field manager for a request: <c>fieldManager</c>, else the user agent's first word.</summary>
    public static string ManagerOf(string? fieldManager, string userAgent)
    {
        if (!string.IsNullOrEmpty(fieldManager))
        {
            return fieldManager;
        }
        var name = userAgent.Split('/', ' ')[0];
        return name.Length == 0 ? "unknown" : name.Length > 128 ? name[..128] : name;
    }

    private static ApiException Conflict(List<(Entry Entry, string Path)> conflicts)
    {
        var byManager = conflicts.GroupBy(c => (c.Entry.Manager, c.Entry.ApiVersion)).ToList();
        string message;
        if (conflicts.Count == 1)
        {
            var (entry, path) = conflicts[0];
            message = $"Apply failed with 1 conflict: conflict with \"{entry.Manager}\"{Using(entry)}: {FieldSet.Display(path)}";
        }
        else
        {
            var lines = byManager.SelectMany(g => g.Select(c => $"conflict with \"{g.Key.Manager}\"{Using(c.Entry)}: {FieldSet.Display(c.Path)}"));
            message = $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", lines);
        }
        var causes = conflicts.Select(c => new StatusCause("FieldManagerConflict", $"conflict with \"{c.Entry.Manager}\"{Using(c.Entry)}", FieldSet.Display(c.Path))).ToList();
        return new ApiException(new ApiStatus(409, "Conflict", message, Causes: causes));
    }

    private static string Using(Entry entry) => entry.ApiVersion.Length == 0 ? "" : $" using {entry.ApiVersion}";

    private static List<Entry> Entries(JsonObject obj) =>
        (obj["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(e => new Entry(
                Str(e["manager"]), Str(e["operation"]), Str(e["apiVersion"]), Str(e["time"]),
                FieldSet.FromFieldsV1(e["fieldsV1"]), e))
            .ToList();

    private static void Write(JsonObject obj, List<Entry> entries)
    {
        var metadata = obj["metadata"] as JsonObject;
        if (metadata is null)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }
        var kept = entries.Where(e => e.Fields.Count > 0).Select(e =>
        {
            var json = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
                ["time"] = e.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = e.Fields.ToFieldsV1(),
            };
            if (e.Raw["subresource"] is { } subresource)
            {
                json["subresource"] = subresource.DeepClone();
            }
            return (JsonNode?)json;
        }).ToArray();
        if (kept.Length == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = new JsonArray(kept);
        }
    }

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
