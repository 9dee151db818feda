namespace Sluice.Simulator.Traffic;

/// <summary>
/// A kind of request the simulated clients of a Service send: plain, or carrying one header, cookie or query parameter,
/// with its share of the requests (in hundredths of a percent).
/// </summary>
internal sealed record RequestClass(string Name, long ShareBasisPoints)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string> Cookies { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The Cookie header the request carries ("a=1; b=2"), or null.</summary>
    public string? CookieHeader => Cookies.Count == 0 ? null : string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}"));

    /// <summary>A header's value (case-insensitive name); the Cookie header comes from <see cref="Cookies"/>.</summary>
    public string? Header(string name) =>
        string.Equals(name, "cookie", StringComparison.OrdinalIgnoreCase) ? CookieHeader : Headers.GetValueOrDefault(name);
}
