using System.Collections.Concurrent;
using Sluice.Cue.Evaluation;
using Sluice.Cue.Syntax;

namespace Sluice.Cue;

/// <summary>
/// The packages templates may import besides CUE's standard ones: CUE source by import path, such as the
/// <c>kube/apps/v1</c> packages <c>KubePackages</c> generates from an API server's OpenAPI. Immutable;
/// each package is parsed once, on its first import.
/// </summary>
public sealed class CuePackages
{
    private readonly IReadOnlyDictionary<string, string> _sources;
    private readonly ConcurrentDictionary<string, CueResult<SourcePackage>> _parsed = new(StringComparer.Ordinal);

    public CuePackages(IReadOnlyDictionary<string, string> sources, string? description = null)
    {
        _sources = sources;
        Description = description ?? "no extra packages";
    }

    /// <summary>No package besides the standard ones.</summary>
    public static CuePackages None { get; } = new(new Dictionary<string, string>());

    /// <summary>Where the packages came from, for messages (for example "the API server's OpenAPI v3").</summary>
    public string Description { get; }

    /// <summary>The import paths served.</summary>
    public IEnumerable<string> Paths => _sources.Keys;

    /// <summary>The CUE source of a package, or null.</summary>
    public string? Source(string path) => _sources.GetValueOrDefault(path);

    internal CueResult<SourcePackage>? Find(string path)
    {
        if (!_sources.TryGetValue(path, out var text))
        {
            return null;
        }
        return _parsed.GetOrAdd(path, p => CueParser.TryParse($"package {p}", text, out var file, out var error)
            ? CueResult<SourcePackage>.Ok(new SourcePackage(p, file!))
            : CueResult<SourcePackage>.Fail(error!));
    }
}
