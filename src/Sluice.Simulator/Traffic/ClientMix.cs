using System.Globalization;

namespace Sluice.Simulator.Traffic;

/// <summary>
/// The simulated clients of one Service, from its annotations:
/// <list type="bullet">
/// <item><c>sim.sluice.dev/rps: "200"</c>: requests per second (required; a decimal such as "0.5" is fine);</item>
/// <item><c>sim.sluice.dev/request-mix: "10% header x-beta=true, 5% cookie beta=always, 2% query beta=1"</c>: shares of the
/// requests carrying one header, cookie or query parameter (the rest carry none);</item>
/// <item><c>sim.sluice.dev/path: "/api"</c>: the path requested (default: the path of the route that sends to the Service);</item>
/// <item><c>sim.sluice.dev/entry: "httproute/web, service"</c>: enter only through these (default: every HTTPRoute,
/// VirtualService and Ingress that sends to the Service, or the Service itself when none does).</item>
/// </list>
/// </summary>
internal sealed record ClientMix(double Rps, IReadOnlyList<RequestClass> Classes, string? Path, IReadOnlyList<string>? Entries)
{
    public const string RpsAnnotation = "sim.sluice.dev/rps";
    public const string MixAnnotation = "sim.sluice.dev/request-mix";
    public const string PathAnnotation = "sim.sluice.dev/path";
    public const string EntryAnnotation = "sim.sluice.dev/entry";

    /// <summary>The mix an annotated Service asks for; null when it has no rps annotation; a problem when an annotation is malformed.</summary>
    public static (ClientMix? Mix, string? Problem) Parse(IReadOnlyDictionary<string, string> annotations)
    {
        if (!annotations.TryGetValue(RpsAnnotation, out var rpsText))
        {
            return (null, null);
        }

        if (!double.TryParse(rpsText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rps) || rps < 0 || rps > 1_000_000)
        {
            return (null, $"{RpsAnnotation}: \"{rpsText}\" is not a number of requests per second from 0 to 1000000");
        }

        var classes = new List<RequestClass>();
        long used = 0;
        if (annotations.TryGetValue(MixAnnotation, out var mix))
        {
            foreach (var entry in mix.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = entry.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
                var pair = parts.Length == 3 ? parts[2].Split('=', 2) : [];
                if (parts.Length != 3 || !parts[0].EndsWith('%') || pair.Length != 2 || pair[0].Length == 0
                    || !double.TryParse(parts[0][..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var share))
                {
                    return (null, $"{MixAnnotation}: \"{entry}\" is not \"<share>% header|cookie|query <name>=<value>\"");
                }

                var basisPoints = (long)Math.Round(share * 100);
                var name = $"{parts[1]} {pair[0]}={pair[1]}";
                RequestClass? requestClass = parts[1] switch
                {
                    "header" => new RequestClass(name, basisPoints) { Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [pair[0]] = pair[1] } },
                    "cookie" => new RequestClass(name, basisPoints) { Cookies = new Dictionary<string, string>(StringComparer.Ordinal) { [pair[0]] = pair[1] } },
                    "query" => new RequestClass(name, basisPoints) { Query = new Dictionary<string, string>(StringComparer.Ordinal) { [pair[0]] = pair[1] } },
                    _ => null,
                };
                if (requestClass is null)
                {
                    return (null, $"{MixAnnotation}: \"{entry}\": \"{parts[1]}\" is not header, cookie or query");
                }

                used += basisPoints;
                classes.Add(requestClass);
            }
        }

        if (used > 10_000)
        {
            return (null, $"{MixAnnotation}: the shares add up to more than 100%");
        }

        classes.Insert(0, new RequestClass("plain", 10_000 - used));
        var path = annotations.GetValueOrDefault(PathAnnotation);
        var entries = annotations.TryGetValue(EntryAnnotation, out var entryText)
            ? entryText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(e => e.ToLowerInvariant()).ToList()
            : null;
        return (new ClientMix(rps, classes.Where(c => c.ShareBasisPoints > 0).ToList(), path, entries), null);
    }
}
