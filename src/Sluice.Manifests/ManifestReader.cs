using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Core.Api;

namespace Sluice.Manifests;

/// <summary>Turns manifest text into typed API objects, with errors that name the field and the value.</summary>
public static class ManifestReader
{
    /// <summary>Reads a typed object from one JSON node; a type error names the field path.</summary>
    /// <exception cref="ManifestException">The node does not fit <typeparamref name="T"/>.</exception>
    public static T Read<T>(JsonNode node, string? pathPrefix = null)
    {
        try
        {
            return SluiceJson.Deserialize<T>(node);
        }
        catch (JsonException e)
        {
            var path = FieldPath(pathPrefix, e.Path);
            var message = e.Message;
            var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }

            throw new ManifestException(path.Length == 0 ? message : $"{path}: {message}", e);
        }
    }

    /// <summary>
    /// The rollout plan in a document holding an AppRollout (its <c>spec.rolloutPlan</c>) or a bare plan.
    /// </summary>
    /// <exception cref="ManifestException">The text is not YAML, not a plan, or a field has the wrong type.</exception>
    public static RolloutPlan ReadPlan(string yaml)
    {
        var documents = YamlJson.ParseAll(yaml);
        if (documents.Count == 0)
        {
            throw new ManifestException("no YAML document found: want an AppRollout or a rolloutPlan");
        }

        if (documents.Count > 1)
        {
            throw new ManifestException($"found {documents.Count} YAML documents: want one AppRollout or one rolloutPlan");
        }

        if (documents[0] is not JsonObject root)
        {
            throw new ManifestException("the document is not a mapping: want an AppRollout or a rolloutPlan");
        }

        var kind = root["kind"]?.GetValueKind() == JsonValueKind.String ? root["kind"]!.GetValue<string>() : null;
        if (kind is not null && kind != AppRollout.KindName)
        {
            throw new ManifestException($"kind: Invalid value: \"{kind}\": want an AppRollout or a bare rolloutPlan");
        }

        if (kind == AppRollout.KindName)
        {
            var plan = root["spec"]?["rolloutPlan"]
                ?? throw new ManifestException("spec.rolloutPlan: Required value: the AppRollout has no rolloutPlan");
            return Read<RolloutPlan>(plan, "spec.rolloutPlan");
        }

        var bare = root["rolloutPlan"] is JsonObject nested ? nested : root;
        return Read<RolloutPlan>(bare, root["rolloutPlan"] is null ? null : "rolloutPlan");
    }

    private static string FieldPath(string? prefix, string? jsonPath)
    {
        var path = (jsonPath ?? "$").TrimStart('$').TrimStart('.');
        return string.IsNullOrEmpty(prefix) ? path : path.Length == 0 ? prefix : path.StartsWith('[') ? prefix + path : $"{prefix}.{path}";
    }
}
