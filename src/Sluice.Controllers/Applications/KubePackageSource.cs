using System.Collections.Concurrent;
using Sluice.Controllers.Kube;
using Sluice.Cue;
using Sluice.Cue.Kube;

namespace Sluice.Controllers.Applications;

/// <summary>
/// The <c>kube/&lt;group&gt;/&lt;version&gt;</c> packages templates import, generated from the API server's OpenAPI v3 (the
/// cluster's, or the embedded plane's) as KubeVela generates them. Only the group/versions a template imports are
/// fetched; each is kept for <see cref="Lifetime"/> (so a new CRD version shows up within it).
/// </summary>
public sealed class KubePackageSource(IOpenApiSource source, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (string? Source, DateTimeOffset Fetched)> cache = new(StringComparer.Ordinal);

    /// <summary>The packages among <paramref name="importPaths"/> that the server can provide.</summary>
    public async Task<CuePackages> ForAsync(IEnumerable<string> importPaths, CancellationToken cancellationToken)
    {
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in importPaths.Distinct(StringComparer.Ordinal))
        {
            if (KubePackages.ApiVersion(path) is not { } apiVersion)
            {
                continue;
            }
            var now = time.GetUtcNow();
            if (!cache.TryGetValue(path, out var entry) || now - entry.Fetched > Lifetime)
            {
                var document = await source.OpenApiV3Async(apiVersion, cancellationToken);
                entry = (document is null ? null : KubePackages.Generate(apiVersion, document), now);
                cache[path] = entry;
            }
            if (entry.Source is { } text)
            {
                sources[path] = text;
            }
        }
        return new CuePackages(sources, "the API server's /openapi/v3");
    }
}
