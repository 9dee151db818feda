namespace Sluice.ControlPlane.Auth;

/// <summary>
/// What a request asks to do, as the authorizer sees it (kube-apiserver's authorizer.Attributes): a resource
/// request (verb, API group, resource, subresource, namespace, name) or a non-resource one (verb, path).
/// </summary>
public sealed record RequestAttributes(
    string Verb,
    bool IsResourceRequest,
    string Group = "",
    string Resource = "",
    string Subresource = "",
    string Namespace = "",
    string Name = "",
    string Path = "")
{
    public static RequestAttributes ForResource(string verb, string group, string resource, string subresource, string ns, string name) =>
        new(verb, true, group, resource, subresource, ns, name);

    public static RequestAttributes ForPath(string verb, string path) => new(verb, false, Path: path);

    /// <summary><c>resource/subresource</c>, or the resource alone.</summary>
    public string QualifiedResource => Subresource.Length == 0 ? Resource : $"{Resource}/{Subresource}";
}
