using System.Text.Json.Nodes;

namespace Sluice.Cue.Rendering;

/// <summary>
/// The <c>context</c> a template sees, as KubeVela sets it: <c>name</c> (the component), <c>appName</c>,
/// <c>namespace</c>, <c>appRevision</c>, <c>appRevisionNum</c> and <c>revision</c> (the component's revision, such as
/// <c>api-v2</c>; by default <see cref="RevisionPlaceholder"/>, which the caller replaces once it knows the name, as
/// KubeVela does). Traits also see <c>output</c> and <c>outputs</c>. Fields of <paramref name="Extra"/> (for example
/// <c>config</c>) are added beside the standard ones.
/// </summary>
public sealed record RenderContext(
    string Name,
    string AppName,
    string Namespace,
    string AppRevision,
    int AppRevisionNum,
    JsonObject? Extra = null,
    string? Revision = null)
{
    /// <summary>KubeVela's stand-in for the component revision's name while it is not yet known.</summary>
    public const string RevisionPlaceholder = "KUBEVELA_COMPONENT_REVISION_PLACEHOLDER";

    internal JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["name"] = Name,
            ["appName"] = AppName,
            ["namespace"] = Namespace,
            ["appRevision"] = AppRevision,
            ["appRevisionNum"] = AppRevisionNum,
            ["revision"] = Revision ?? RevisionPlaceholder,
        };
        if (Extra is not null)
        {
            foreach (var (key, value) in Extra)
            {
                json[key] = value?.DeepClone();
            }
        }
        return json;
    }
}
