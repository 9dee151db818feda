using System.Text.Json.Nodes;

namespace Sluice.Core.Operations;

/// <summary>
/// <c>sluice set image APP COMPONENT=IMAGE...</c>: the new <c>spec.components</c> of an Application with each named
/// component's <c>properties.image</c> set, or the reason it cannot be (naming the argument or the field and the value).
/// Pure: the CLI reads the Application, asks this, and writes the result with the resourceVersion it read.
/// </summary>
public sealed record ImageChange
{
    /// <summary>The whole new <c>spec.components</c> (a merge patch replaces lists whole); null when refused.</summary>
    public JsonArray? Components { get; init; }

    /// <summary>What changed, <c>component=image (was old)</c> per component; empty when every image was already set.</summary>
    public IReadOnlyList<string> Changed { get; init; } = [];

    public string? Refusal { get; init; }

    /// <summary>True when the refusal is a component the Application does not have (rather than a malformed argument).</summary>
    public bool NotFound { get; init; }

    /// <summary>Parses <c>COMPONENT=IMAGE</c> arguments.</summary>
    public static (IReadOnlyList<(string Component, string Image)> Pairs, string? Error) Parse(IReadOnlyList<string> arguments)
    {
        var pairs = new List<(string, string)>();
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == argument.Length - 1)
            {
                return ([], $"\"{argument}\" is not COMPONENT=IMAGE (for example web=nginx:1.27)");
            }

            var component = argument[..equals];
            if (pairs.Any(p => p.Item1 == component))
            {
                return ([], $"component \"{component}\" is named twice");
            }

            pairs.Add((component, argument[(equals + 1)..]));
        }

        return pairs.Count == 0 ? ([], "name at least one COMPONENT=IMAGE") : (pairs, null);
    }

    /// <summary>Sets each named component's image in a copy of <paramref name="application"/>'s components.</summary>
    public static ImageChange Apply(JsonObject application, IReadOnlyList<(string Component, string Image)> changes)
    {
        var name = application["metadata"]?["name"]?.GetValue<string>() ?? "(unnamed)";
        if (application["spec"]?["components"] is not JsonArray stored)
        {
            return new ImageChange { Refusal = $"Application \"{name}\": spec.components: Required value", NotFound = true };
        }

        var components = stored.DeepClone().AsArray();
        var byName = components.OfType<JsonObject>().Where(c => c["name"] is JsonValue).ToDictionary(c => c["name"]!.GetValue<string>(), StringComparer.Ordinal);
        var changed = new List<string>();
        foreach (var (component, image) in changes)
        {
            if (!byName.TryGetValue(component, out var found))
            {
                return new ImageChange
                {
                    Refusal = $"Application \"{name}\" has no component \"{component}\" in spec.components (it has: {string.Join(", ", byName.Keys)})",
                    NotFound = true,
                };
            }

            if (found["properties"] is not JsonObject properties)
            {
                found["properties"] = properties = new JsonObject();
            }

            var before = properties["image"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            if (before == image)
            {
                continue;
            }

            properties["image"] = image;
            changed.Add(before is null ? $"{component}={image}" : $"{component}={image} (was {before})");
        }

        return new ImageChange { Components = components, Changed = changed };
    }
}
