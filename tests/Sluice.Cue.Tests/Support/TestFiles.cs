using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Sluice.Cue.Tests.Support;

/// <summary>Finds the repository root (the folder holding Sluice.slnx) and reads definition YAML.</summary>
internal static class TestFiles
{
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sluice.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Sluice.slnx not found above " + AppContext.BaseDirectory);
    }

    public static string KubeVelaCloneSetDefinition =>
        Path.Combine(RepoRoot, "..", "shared", "examples", "third_party", "kubevela", "clonesetDefinition.yaml");

    public static string SeedApplication =>
        Path.Combine(RepoRoot, "..", "shared", "examples", "seed", "01-application-v1.yaml");

    public static string BuiltInDefinition(string name) => Path.Combine(RepoRoot, "deploy", "definitions", name + ".yaml");

    public static YamlMappingNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(IndentQuotedContinuations(File.ReadAllText(path)));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>
    /// KubeVela's file continues a double-quoted annotation on a line indented like its key, which
    /// Go's YAML and libyaml accept but YamlDotNet rejects. Indent such continuation lines two more
    /// spaces (the scalar's value is unchanged: line folding drops leading spaces).
    /// </summary>
    private static string IndentQuotedContinuations(string text)
    {
        var lines = text.Split('\n');
        var open = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (open)
            {
                lines[i] = "  " + line;
            }
            var start = open ? 0 : FindQuotedValueStart(line);
            if (start < 0)
            {
                continue;
            }
            for (var j = start; j < line.Length; j++)
            {
                if (line[j] == '\\')
                {
                    j++;
                }
                else if (line[j] == '"')
                {
                    open = !open;
                }
            }
        }
        return string.Join('\n', lines);
    }

    private static int FindQuotedValueStart(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith('#') || trimmed.StartsWith('"'))
        {
            return -1;
        }
        var colon = line.IndexOf(": \"", StringComparison.Ordinal);
        return colon < 0 ? -1 : colon + 2;
    }

    public static YamlNode At(YamlNode node, params string[] keys)
    {
        foreach (var key in keys)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }
        return node;
    }

    /// <summary><c>spec.schematic.cue.template</c> of a ComponentDefinition file.</summary>
    public static string Template(string path) =>
        ((YamlScalarNode)At(LoadYaml(path), "spec", "schematic", "cue", "template")).Value!;

    /// <summary>The properties of the seed application's first component, as JSON.</summary>
    public static JsonObject SeedProperties()
    {
        var component = (YamlMappingNode)((YamlSequenceNode)At(LoadYaml(SeedApplication), "spec", "components")).Children[0];
        return (JsonObject)ToJson(component.Children[new YamlScalarNode("properties")])!;
    }

    /// <summary>YAML to JSON with YAML 1.2 core-schema scalars: plain ints, floats and booleans are typed.</summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted)
        {
            return JsonValue.Create(text);
        }
        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var i))
        {
            return JsonValue.Create(i);
        }
        return text switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" or "~" or "" => null,
            _ => JsonValue.Create(text),
        };
    }
}
