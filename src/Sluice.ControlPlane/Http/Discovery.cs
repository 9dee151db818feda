using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;

namespace Sluice.ControlPlane.Http;

/// <summary>Plain (non-aggregated) discovery documents: /version, /api, /apis, /apis/{g}, and resource lists.</summary>
internal static class Discovery
{
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0-sluice",
        ["gitCommit"] = "",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "dotnet",
        ["compiler"] = "sluice",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(registry.All.Where(t => t.Group.Length > 0)
            .Select(t => t.Group).Distinct().Select(g => (JsonNode?)Group(registry, g)).ToArray()),
    };

    public static JsonObject? Group(ResourceRegistry registry, string group)
    {
        var versions = registry.All.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
        if (versions.Count == 0)
        {
            return null;
        }
        JsonObject Entry(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode?)Entry(v)).ToArray()),
            ["preferredVersion"] = Entry(versions[0]),
        };
    }

    public static JsonObject? Resources(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var t in types)
        {
            var entry = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray(t.ServedVerbs.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            };
            if (t.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray(t.ShortNames.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            }
            if (t.Categories.Count > 0)
            {
                entry["categories"] = new JsonArray(t.Categories.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            }
            resources.Add(entry);
            if (t.HasStatus)
            {
                resources.Add(Subresource(t, "status", null));
            }
            if (t.Scale is not null)
            {
                resources.Add(Subresource(t, "scale", ("autoscaling", "v1", "Scale")));
            }
            if (t.GroupResource == BuiltInResources.ServiceAccounts)
            {
                var token = Subresource(t, "token", ("authentication.k8s.io", "v1", "TokenRequest"));
                token["verbs"] = new JsonArray("create");
                resources.Add(token);
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ResourceType t, string name, (string Group, string Version, string Kind)? other)
    {
        var entry = new JsonObject
        {
            ["name"] = $"{t.Plural}/{name}",
            ["singularName"] = "",
            ["namespaced"] = t.Namespaced,
        };
        if (other is { } o)
        {
            entry["group"] = o.Group;
            entry["version"] = o.Version;
        }
        entry["kind"] = other?.Kind ?? t.Kind;
        entry["verbs"] = new JsonArray("get", "patch", "update");
        return entry;
    }
}
