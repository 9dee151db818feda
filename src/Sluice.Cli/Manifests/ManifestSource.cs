using System.Text.Json.Nodes;
using Sluice.Manifests;

namespace Sluice.Cli.Manifests;

/// <summary>The documents named by <c>-f</c>: files, folders (their .yaml, .yml and .json files, sorted) or <c>-</c> for stdin.</summary>
internal static class ManifestSource
{
    /// <exception cref="ManifestException">A file is not YAML, a document is not an object, or a path does not exist.</exception>
    public static async Task<List<(string From, JsonObject Document)>> ReadAsync(IEnumerable<string> paths, TextReader stdin, CancellationToken cancellationToken)
    {
        var documents = new List<(string, JsonObject)>();
        foreach (var path in paths)
        {
            foreach (var (from, text) in await TextsAsync(path, stdin, cancellationToken))
            {
                IReadOnlyList<JsonNode> parsed;
                try
                {
                    parsed = YamlJson.ParseAll(text);
                }
                catch (ManifestException e)
                {
                    throw new ManifestException($"{from}: {e.Message}", e);
                }

                foreach (var node in parsed)
                {
                    if (node is not JsonObject document || document["kind"] is null || document["metadata"]?["name"] is null)
                    {
                        throw new ManifestException($"{from}: every document needs apiVersion, kind and metadata.name");
                    }

                    documents.Add((from, document));
                }
            }
        }

        return documents;
    }

    private static async Task<List<(string From, string Text)>> TextsAsync(string path, TextReader stdin, CancellationToken cancellationToken)
    {
        if (path == "-")
        {
            return [("stdin", await stdin.ReadToEndAsync(cancellationToken))];
        }

        if (Directory.Exists(path))
        {
            var texts = new List<(string, string)>();
            foreach (var file in Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                texts.Add((file, await File.ReadAllTextAsync(file, cancellationToken)));
            }

            return texts;
        }

        if (!File.Exists(path))
        {
            throw new ManifestException($"{path}: no such file or folder");
        }

        return [(path, await File.ReadAllTextAsync(path, cancellationToken))];
    }
}
