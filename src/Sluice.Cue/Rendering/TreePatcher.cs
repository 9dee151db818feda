using Sluice.Cue.Evaluation;

namespace Sluice.Cue.Rendering;

/// <summary>
/// Applies a trait's <c>patch</c> to a rendered resource the way KubeVela does: CUE unification (structs merge field by
/// field, lists item by item and may grow, scalars must agree, a default gives way to a value), except where the
/// patch's annotations say otherwise:
/// <list type="bullet">
/// <item><c>// +patchKey=name</c> on a list (or on any field above it: annotations apply to everything below) merges
/// the patch's items into the base's items with the same key, keeps the base's other items where they are, and
/// appends the patch's new items; when an item of either side has no such key, the list merges by position.</item>
/// <item><c>// +patchStrategy=retainKeys</c> on a field replaces the base's value of that field with the patch's
/// (with a patch key, the matching items are replaced rather than merged).</item>
/// </list>
/// </summary>
internal static class TreePatcher
{
    public sealed record Conflict(string Path, string Message);

    public static Tree? Patch(Tree? baseTree, Tree patch, out Conflict? conflict)
    {
        conflict = null;
        return Merge(baseTree, patch, "", PatchTags.None, ref conflict);
    }

    private static Tree? Merge(Tree? baseTree, Tree patch, string path, IReadOnlyDictionary<string, string> tags, ref Conflict? conflict)
    {
        switch (baseTree, patch)
        {
            case (null, _):
                return patch;
            case (TreeStruct b, TreeStruct p):
                return MergeStructs(b, p, path, tags, ref conflict);
            case (TreeList b, TreeList p):
                var items = new List<Tree>();
                for (var i = 0; i < Math.Max(b.Items.Count, p.Items.Count); i++)
                {
                    if (i >= p.Items.Count)
                    {
                        items.Add(b.Items[i]);
                        continue;
                    }
                    var merged = Merge(i < b.Items.Count ? b.Items[i] : null, p.Items[i], $"{path}[{i}]", tags, ref conflict);
                    if (merged is null)
                    {
                        return null;
                    }
                    items.Add(merged);
                }
                return new TreeList(items);
            case (TreeLeaf b, TreeLeaf p):
                var unified = Unifier.Unify(b.Value, p.Value);
                if (unified is BottomValue)
                {
                    conflict = new Conflict(path, $"conflicting values {Unifier.UserType(b.Value)} (the workload's) and {Unifier.UserType(p.Value)} (the patch's)");
                    return null;
                }
                return new TreeLeaf(unified);
            case (TreeLeaf { Value: TopValue }, _):
                return patch;
            case (_, TreeLeaf { Value: TopValue }):
                return baseTree;
            default:
                conflict = new Conflict(path, $"conflicting values: the workload has {Shape(baseTree)}, the patch {Shape(patch)}");
                return null;
        }
    }

    private static Tree? MergeStructs(TreeStruct b, TreeStruct p, string path, IReadOnlyDictionary<string, string> tags, ref Conflict? conflict)
    {
        var fields = b.Fields.ToList();
        foreach (var patchField in p.Fields)
        {
            var inner = PatchTags.Inherit(tags, patchField.Tags);
            var retain = PatchTags.IsRetainKeys(patchField.Tags);
            var childPath = path.Length == 0 ? patchField.Label : $"{path}.{patchField.Label}";
            var index = fields.FindIndex(f => f.Label == patchField.Label);
            var patchValue = patchField.Value;
            Tree? baseValue = index < 0 ? null : fields[index].Value;
            if (patchValue is TreeList patchList)
            {
                if (baseValue is TreeList baseList && inner.TryGetValue(PatchTags.PatchKey, out var key) && key.Length > 0)
                {
                    (baseValue, patchValue) = ByKey(baseList, patchList, key, retain);
                }
            }
            else if (retain)
            {
                baseValue = null;
            }
            var merged = Merge(baseValue, patchValue, childPath, inner, ref conflict);
            if (merged is null)
            {
                return null;
            }
            var field = new TreeField(patchField.Label, merged, index < 0 ? patchField.Tags : fields[index].Tags);
            if (index < 0)
            {
                fields.Add(field);
            }
            else
            {
                fields[index] = field;
            }
        }
        return new TreeStruct(fields);
    }

    /// <summary>
    /// Lines the patch's items up with the base's by <paramref name="key"/>: for each base item, the patch item with its
    /// key or an empty struct; then the patch's items with new keys. Unchanged when an item of either side has no key.
    /// </summary>
    private static (TreeList Base, TreeList Patch) ByKey(TreeList baseList, TreeList patchList, string key, bool retain)
    {
        var path = key.Split('.');
        var byKey = new Dictionary<string, Tree>(StringComparer.Ordinal);
        foreach (var item in patchList.Items)
        {
            if (KeyOf(item, path) is not { } k)
            {
                return (baseList, patchList);
            }
            byKey[k] = item;
        }
        var baseItems = baseList.Items.ToList();
        var aligned = new List<Tree>();
        for (var i = 0; i < baseItems.Count; i++)
        {
            if (KeyOf(baseItems[i], path) is not { } k)
            {
                return (baseList, patchList);
            }
            if (byKey.Remove(k, out var match))
            {
                if (retain)
                {
                    baseItems[i] = TreeStruct.Empty;
                }
                aligned.Add(match);
            }
            else
            {
                aligned.Add(TreeStruct.Empty);
            }
        }
        var remaining = new HashSet<Tree>(byKey.Values, ReferenceEqualityComparer.Instance);
        aligned.AddRange(patchList.Items.Where(remaining.Contains));
        return (new TreeList(baseItems), new TreeList(aligned));
    }

    private static string? KeyOf(Tree item, string[] path)
    {
        var current = item;
        foreach (var label in path)
        {
            if (current is not TreeStruct s || s.Field(label) is not { } field)
            {
                return null;
            }
            current = field.Value;
        }
        return current is TreeLeaf { Value: StringValue or IntValue or FloatValue or BoolValue or NullValue } leaf ? leaf.Value.Describe() : null;
    }

    private static string Shape(Tree tree) => tree switch
    {
        TreeStruct => "a struct",
        TreeList => "a list",
        TreeLeaf leaf => Unifier.UserType(leaf.Value),
        _ => "a value",
    };
}
