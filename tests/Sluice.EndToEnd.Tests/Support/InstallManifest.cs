using System.Text.Json.Nodes;
using Sluice.Manifests;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>One permission a rule grants: verb, API group, resource, and the Role's namespace ("" for a ClusterRole).</summary>
public sealed record Grant(string Verb, string Group, string Resource, string Namespace, string Role)
{
    public bool Allows(ApiCall call) =>
        call.Verb == Verb && call.Group == Group && call.Resource == Resource && (Namespace.Length == 0 || call.Namespace == Namespace);

    public override string ToString() => $"{Role}: {Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(Namespace.Length == 0 ? "" : $" in {Namespace}")}";
}

/// <summary>deploy/install.yaml as objects, and the permissions its roles grant the controller's service account.</summary>
public static class InstallManifest
{
    public const string Namespace = "sluice-system";
    public const string ServiceAccount = "sluice-controller";

    public static string Path => System.IO.Path.Combine(RepoPaths.Root, "deploy", "install.yaml");

    public static IReadOnlyList<JsonObject> Objects(string? path = null) =>
        YamlJson.ParseAll(File.ReadAllText(path ?? Path)).OfType<JsonObject>().ToList();

    /// <summary>
    /// The ClusterRole and binding examples/custom-kind grants the controller for its Widgets, beside its WorkloadKind (a
    /// declared kind brings its own rule; the scenarios roll a Widget).
    /// </summary>
    public static IReadOnlyList<JsonObject> DeclaredKindRoles() =>
        Objects(System.IO.Path.Combine(RepoPaths.Root, "examples", "custom-kind", "02-workloadkind.yaml"))
            .Where(o => o["kind"]?.GetValue<string>() is "ClusterRole" or "ClusterRoleBinding").ToList();

    /// <summary>The objects `kubectl kustomize deploy/OVERLAY` renders.</summary>
    public static async Task<IReadOnlyList<JsonObject>> RenderAsync(string overlay)
    {
        var start = new System.Diagnostics.ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(System.IO.Path.Combine(RepoPaths.Root, "deploy", overlay));
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize deploy/{overlay} exited {process.ExitCode}: {await stderr}");
        }

        return YamlJson.ParseAll(await stdout).OfType<JsonObject>().ToList();
    }

    public static JsonObject Single(IReadOnlyList<JsonObject> objects, string kind, string name) =>
        objects.Single(o => o["kind"]?.GetValue<string>() == kind && o["metadata"]?["name"]?.GetValue<string>() == name);

    /// <summary>Every (verb, group, resource) the ClusterRoles and Roles bound to the service account grant, expanded.</summary>
    public static IReadOnlyList<Grant> Grants(IReadOnlyList<JsonObject> objects)
    {
        var bound = objects.Where(o => o["kind"]?.GetValue<string>() is "ClusterRoleBinding" or "RoleBinding"
                && (o["subjects"] as JsonArray ?? []).Any(s => s?["kind"]?.GetValue<string>() == "ServiceAccount"
                    && s["name"]?.GetValue<string>() == ServiceAccount && s["namespace"]?.GetValue<string>() == Namespace))
            .Select(b => (Kind: b["roleRef"]!["kind"]!.GetValue<string>(), Name: b["roleRef"]!["name"]!.GetValue<string>(),
                Namespace: b["kind"]!.GetValue<string>() == "RoleBinding" ? b["metadata"]!["namespace"]!.GetValue<string>() : ""))
            .ToList();
        var grants = new List<Grant>();
        foreach (var (kind, name, ns) in bound)
        {
            var role = objects.Single(o => o["kind"]?.GetValue<string>() == kind && o["metadata"]?["name"]?.GetValue<string>() == name
                && (kind == "ClusterRole" || o["metadata"]?["namespace"]?.GetValue<string>() == ns));
            foreach (var rule in (role["rules"] as JsonArray ?? []).OfType<JsonObject>())
            {
                grants.AddRange(
                    from verb in Strings(rule, "verbs")
                    from grp in Strings(rule, "apiGroups")
                    from resource in Strings(rule, "resources")
                    select new Grant(verb, grp, resource, ns, $"{kind} {name}"));
            }
        }

        return grants;
    }

    private static IEnumerable<string> Strings(JsonObject rule, string field) =>
        (rule[field] as JsonArray ?? []).Select(v => v!.GetValue<string>());
}
