namespace Sluice.Cue.Rendering;

/// <summary>
/// The annotations KubeVela reads in comments above a patch's fields: <c>// +patchKey=name</c> (merge a list's
/// items by that key, a dotted path into each item) and <c>// +patchStrategy=retainKeys</c> (replace rather than merge).
/// </summary>
internal static class PatchTags
{
    public const string PatchKey = "patchKey";
    public const string PatchStrategy = "patchStrategy";
    public const string RetainKeys = "retainKeys";

    public static IReadOnlyDictionary<string, string> None { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Lines of the form <c>+key=value</c> (the value one word); other comments are ignored.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IReadOnlyList<string> comments)
    {
        Dictionary<string, string>? tags = null;
        foreach (var comment in comments)
        {
            var line = comment.Trim();
            if (!line.StartsWith('+'))
            {
                continue;
            }
            var parts = line[1..].Split('=', 2);
            if (parts.Length != 2)
            {
                continue;
            }
            var value = parts[1].Trim();
            if (value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length > 1)
            {
                continue;
            }
            tags ??= new Dictionary<string, string>(StringComparer.Ordinal);
            tags[parts[0].Trim()] = value;
        }
        return tags ?? None;
    }

    public static IReadOnlyDictionary<string, string> Inherit(IReadOnlyDictionary<string, string> outer, IReadOnlyDictionary<string, string> own)
    {
        if (own.Count == 0)
        {
            return outer;
        }
        if (outer.Count == 0)
        {
            return own;
        }
        var merged = new Dictionary<string, string>(outer, StringComparer.Ordinal);
        foreach (var (key, value) in own)
        {
            merged[key] = value;
        }
        return merged;
    }

    public static bool IsRetainKeys(IReadOnlyDictionary<string, string> own) =>
        own.TryGetValue(PatchStrategy, out var strategy) && strategy == RetainKeys;
}
