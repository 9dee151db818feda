using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;

namespace Sluice.Controllers.Runtime;

/// <summary>
/// A watch cache seen through <see cref="IKubeApi"/>, read-only: gets and lists (by an equality label selector such as
/// <c>app=web,tier=front</c>, or a bare key for "has the label") are answered from the cache without a request, so code
/// written against the API (the traffic routers' observation) can read what a view already watches. Every write throws:
/// a view never changes what it shows.
/// </summary>
public sealed class ReaderKubeApi(IObjectReader reader) : IKubeApi
{
    public Task<JsonObject?> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(reader.Get(kind, ns, name));

    public Task<JsonObject> ListAsync(ResourceKind kind, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        var wanted = Parse(labelSelector);
        var items = reader.List(kind, ns).Where(o => wanted.All(w => Matches(o, w.Key, w.Value)));
        return Task.FromResult(new JsonObject { ["items"] = new JsonArray([.. items]), ["metadata"] = new JsonObject() });
    }

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) => throw ReadOnly("create", kind);

    public Task<JsonObject> ReplaceAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) => throw ReadOnly("replace", kind);

    public Task<JsonObject> ReplaceStatusAsync(ResourceKind kind, string? ns, JsonObject obj, CancellationToken cancellationToken) => throw ReadOnly("replace the status of", kind);

    public Task<JsonObject> MergePatchAsync(ResourceKind kind, string? ns, string name, JsonObject patch, string? subresource, CancellationToken cancellationToken) =>
        throw ReadOnly("patch", kind);

    public Task<bool> DeleteAsync(ResourceKind kind, string? ns, string name, string? propagationPolicy, CancellationToken cancellationToken) => throw ReadOnly("delete", kind);

    public IAsyncEnumerable<KubeWatchEvent> WatchAsync(ResourceKind kind, string? ns, string resourceVersion, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"a cache reader does not watch {kind.Plural}: watch the cache itself");

    /// <summary>"a=b,c==d,e" as (a, b), (c, d), (e, null); anything else (!=, in, notin) is refused, naming the selector.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string?>> Parse(string? selector)
    {
        var terms = new List<KeyValuePair<string, string?>>();
        foreach (var term in (selector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (term.Contains("!=", StringComparison.Ordinal) || term.Contains(' ', StringComparison.Ordinal) || term.StartsWith('!'))
            {
                throw new NotSupportedException($"label selector \"{selector}\": only equality terms (key=value) and bare keys are answered from a cache, not \"{term}\"");
            }

            var parts = term.Split('=', 2);
            terms.Add(parts.Length == 1 ? new(parts[0], null) : new(parts[0], parts[1].TrimStart('=')));
        }

        return terms;
    }

    private static bool Matches(JsonObject obj, string key, string? value) =>
        obj["metadata"]?["labels"]?[key] is JsonValue label && (value is null || label.GetValue<string>() == value);

    private static InvalidOperationException ReadOnly(string verb, ResourceKind kind) =>
        new($"a view reads the cluster and never changes it: refused to {verb} {kind.Plural}");
}
