using System.Text.Json.Nodes;
using Sluice.Manifests;

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

    /// <summary>A YAML file as JSON, read the way the product reads manifests.</summary>
    public static JsonObject LoadYaml(string path) => YamlJson.Parse(File.ReadAllText(path))!.AsObject();

    public static JsonObject LoadJson(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    public static JsonNode At(JsonNode node, params string[] keys) =>
        keys.Aggregate(node, (current, key) => current[key] ?? throw new KeyNotFoundException(key));

    /// <summary><c>spec.schematic.cue.template</c> of a ComponentDefinition file.</summary>
    public static string Template(string path) => At(LoadYaml(path), "spec", "schematic", "cue", "template").GetValue<string>();

    /// <summary>The properties of the seed application's first component, as JSON.</summary>
    public static JsonObject SeedProperties() =>
        At(LoadYaml(SeedApplication), "spec", "components")[0]!["properties"]!.DeepClone().AsObject();
}
