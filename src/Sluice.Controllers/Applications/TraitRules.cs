using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;

namespace Sluice.Controllers.Applications;

/// <summary>
/// What a TraitDefinition says about where it may be used, checked before anything is rendered or applied:
/// <c>spec.appliesToWorkloads</c> and <c>spec.conflictsWith</c> (KubeVela's rules), and <c>spec.manageWorkload</c>.
/// </summary>
public static class TraitRules
{
    /// <summary>
    /// The workload resource a component renders, as appliesToWorkloads names it: <c>deployments.apps</c> (<c>pods</c> for
    /// the core group), from the ComponentDefinition's <c>spec.workload</c>; null when it leaves the kind to the template.
    /// </summary>
    public static string? DeclaredWorkload(JsonObject definition)
    {
        if (JsonPath.Get(definition, "spec.workload.definition") is JsonObject gvk
            && JsonPath.String(gvk, "kind") is { Length: > 0 } kind)
        {
            return Resource(JsonPath.String(gvk, "apiVersion") ?? "v1", kind);
        }
        return JsonPath.String(definition, "spec.workload.type") is { Length: > 0 } type && type != "autodetects.core.oam.dev" ? type : null;
    }

    /// <summary><c>deployments.apps</c> for apps/v1 Deployment.</summary>
    public static string Resource(string apiVersion, string kind)
    {
        var resource = ResourceKinds.For(apiVersion, kind);
        return resource.Group.Length == 0 ? resource.Plural : $"{resource.Plural}.{resource.Group}";
    }

    /// <summary>Null when the trait may be applied to the component; otherwise why not.</summary>
    public static string? NotApplicable(JsonObject trait, string traitType, string componentType, string workload)
    {
        var appliesTo = (JsonPath.Get(trait, "spec.appliesToWorkloads") as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "").Where(s => s.Length > 0).ToList();
        if (appliesTo.Count == 0)
        {
            return null;
        }
        var group = workload.Contains('.', StringComparison.Ordinal) ? workload[(workload.IndexOf('.', StringComparison.Ordinal) + 1)..] : "";
        foreach (var rule in appliesTo)
        {
            if (rule == "*" || rule == workload || rule == componentType || (rule.StartsWith("*.", StringComparison.Ordinal) && rule[2..] == group))
            {
                return null;
            }
        }
        return $"trait \"{traitType}\" does not apply to component type \"{componentType}\" (a {workload}): TraitDefinition {traitType} spec.appliesToWorkloads is [{string.Join(", ", appliesTo)}]";
    }

    /// <summary>Null when no two traits of the component conflict; otherwise which and why.</summary>
    public static string? Conflict(IReadOnlyList<(string Type, JsonObject Definition)> traits)
    {
        foreach (var (owner, definition) in traits)
        {
            var rules = (JsonPath.Get(definition, "spec.conflictsWith") as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "").Where(s => s.Length > 0).ToList();
            foreach (var rule in rules)
            {
                if (rule == "*" && traits.Count > 1)
                {
                    return $"trait \"{owner}\" conflicts with every other trait (spec.conflictsWith: [\"*\"]), and the component has {traits.Count}";
                }
                foreach (var (other, otherDefinition) in traits)
                {
                    if (other == owner)
                    {
                        continue;
                    }
                    var otherGroup = JsonPath.String(otherDefinition, "spec.definitionRef.name") is { } reference && reference.Contains('.', StringComparison.Ordinal)
                        ? reference[(reference.IndexOf('.', StringComparison.Ordinal) + 1)..]
                        : null;
                    if (rule == other || (rule.StartsWith("*.", StringComparison.Ordinal) && rule[2..] == otherGroup))
                    {
                        return $"trait \"{owner}\" conflicts with trait \"{other}\" (TraitDefinition {owner} spec.conflictsWith: [{string.Join(", ", rules)}])";
                    }
                }
            }
        }
        return null;
    }
}
