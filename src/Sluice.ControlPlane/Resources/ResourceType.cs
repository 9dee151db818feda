using System.Text.Json.Nodes;

namespace Sluice.ControlPlane.Resources;

/// <summary>
/// Everything the server knows about one served resource: names for discovery, scope,
/// subresources, and for custom resources the validation schema and printer columns.
/// </summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    bool HasStatus,
    ScaleSubresource? Scale,
    JsonObject? Schema = null,
    IReadOnlyList<PrinterColumn>? Columns = null,
    bool IsCustom = false,
    IReadOnlyList<string>? Verbs = null)
{
    /// <summary>
    /// A resource that is never stored: only <c>create</c> is served, and it answers from what it is asked (access
    /// and token reviews), as kube-apiserver's virtual resources do.
    /// </summary>
    public bool IsVirtual => Verbs is ["create"];

    /// <summary>The verbs this resource serves (announced in discovery).</summary>
    public IReadOnlyList<string> ServedVerbs => Verbs ?? AllVerbs;

    public GroupResource GroupResource => new(Group, Plural);

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>Verbs announced in discovery (kubectl uses them to decide what it may do).</summary>
    public static IReadOnlyList<string> AllVerbs { get; } =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
