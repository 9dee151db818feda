using System.Text.Json.Nodes;

namespace Sluice.Cue.Rendering;

/// <summary>
/// The <c>context</c> a template sees: <c>context.name</c> is the component's name. Fields of
/// <paramref name="Extra"/> (for example <c>config</c>) are added beside the standard ones.
/// </summary>
public sealed record RenderContext(
    string Name,
    string AppName,
    string Namespace,
    string AppRevision,
    int AppRevisionNum,
    JsonObject? Extra = null)
{
    internal JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["name"] = Name,
            ["appName"] = AppName,
            ["namespace"] = Namespace,
            ["appRevision"] = AppRevision,
            ["appRevisionNum"] = AppRevisionNum,
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
