using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.ControlPlane;

/// <summary>
/// <c>&lt;data-dir&gt;/endpoints.json</c>: every endpoint <c>sluice up</c> serves (the API, and beside it metrics,
/// Prometheus, the dashboard, ...), by name, so scripts and tests find them in one place instead of parsing logs.
/// Written owner-only (a dashboard URL carries its token) and replaced atomically; each
/// <see cref="Set"/> keeps the other names.
/// </summary>
public sealed class EndpointsFile
{
    public const string FileName = "endpoints.json";

    private readonly object _gate = new();
    private readonly SortedDictionary<string, string> _entries = new(StringComparer.Ordinal);

    public EndpointsFile(string dataDir)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDir), FileName);
    }

    public string Path { get; }

    /// <summary>Records <paramref name="name"/> (e.g. "metrics") as <paramref name="url"/> and rewrites the file.</summary>
    public void Set(string name, string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        lock (_gate)
        {
            _entries[name] = url;
            Write();
        }
    }

    /// <summary>Forgets <paramref name="name"/> (a service that stopped) and rewrites the file.</summary>
    public void Remove(string name)
    {
        lock (_gate)
        {
            if (_entries.Remove(name))
            {
                Write();
            }
        }
    }

    /// <summary>Starts afresh: what a previous run left behind may point at ports nobody serves any more.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            Write();
        }
    }

    /// <summary>Reads the file written by a running (or the last) <c>sluice up</c> on <paramref name="dataDir"/>.</summary>
    public static IReadOnlyDictionary<string, string> Read(string dataDir)
    {
        var path = System.IO.Path.Combine(dataDir, FileName);
        if (!File.Exists(path))
        {
            return new Dictionary<string, string>();
        }

        var node = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [];
        return node.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
    }

    private void Write()
    {
        var obj = new JsonObject();
        foreach (var (name, url) in _entries)
        {
            obj[name] = url;
        }

        OwnerOnlyFile.Write(Path, obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
