namespace Sluice.Controllers.Kube;

/// <summary>A resource the controllers read or write: enough to build its REST paths.</summary>
public sealed record ResourceKind(string Group, string Version, string Kind, string Plural, bool Namespaced = true)
{
    public static readonly ResourceKind Pod = new("", "v1", "Pod", "pods");
    public static readonly ResourceKind Node = new("", "v1", "Node", "nodes", Namespaced: false);
    public static readonly ResourceKind Event = new("", "v1", "Event", "events");
    public static readonly ResourceKind Secret = new("", "v1", "Secret", "secrets");
    public static readonly ResourceKind Service = new("", "v1", "Service", "services");
    public static readonly ResourceKind Deployment = new("apps", "v1", "Deployment", "deployments");
    public static readonly ResourceKind StatefulSet = new("apps", "v1", "StatefulSet", "statefulsets");
    public static readonly ResourceKind DaemonSet = new("apps", "v1", "DaemonSet", "daemonsets");
    public static readonly ResourceKind ReplicaSet = new("apps", "v1", "ReplicaSet", "replicasets");
    public static readonly ResourceKind CloneSet = new("apps.kruise.io", "v1alpha1", "CloneSet", "clonesets");
    public static readonly ResourceKind Lease = new("coordination.k8s.io", "v1", "Lease", "leases");
    public static readonly ResourceKind AppRollout = new("core.oam.dev", "v1beta1", "AppRollout", "approllouts");
    public static readonly ResourceKind Application = new("core.oam.dev", "v1beta1", "Application", "applications");
    public static readonly ResourceKind ApplicationRevision = new("core.oam.dev", "v1beta1", "ApplicationRevision", "applicationrevisions");
    public static readonly ResourceKind ComponentDefinition = new("core.oam.dev", "v1beta1", "ComponentDefinition", "componentdefinitions");
    public static readonly ResourceKind TraitDefinition = new("core.oam.dev", "v1beta1", "TraitDefinition", "traitdefinitions");

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path, e.g. /apis/apps/v1/namespaces/default/deployments; all namespaces when <paramref name="ns"/> is null.</summary>
    public string CollectionPath(string? ns)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && !string.IsNullOrEmpty(ns)
            ? $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}"
            : $"{root}/{Plural}";
    }

    public string ObjectPath(string? ns, string name, string? subresource = null) =>
        $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}{(subresource is null ? "" : "/" + subresource)}";

    public override string ToString() => $"{Plural}.{(Group.Length == 0 ? "core" : Group)}";
}
