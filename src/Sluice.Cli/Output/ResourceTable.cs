using System.Text.Json.Nodes;
using Sluice.Controllers.Kube;

namespace Sluice.Cli.Output;

/// <summary>How <c>sluice get</c> shows one kind: the names it answers to and its columns (narrow, and extra ones for -o wide).</summary>
internal sealed record ResourceTable(
    ResourceKind Kind,
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Headers,
    IReadOnlyList<string> WideHeaders,
    Func<JsonObject, DateTimeOffset, IReadOnlyList<string>> Row,
    Func<JsonObject, IReadOnlyList<string>> WideRow)
{
    /// <summary>The table of <paramref name="items"/>; a NAMESPACE column first with <paramref name="withNamespace"/>.</summary>
    public string Render(IEnumerable<JsonObject> items, DateTimeOffset now, bool wide, bool withNamespace)
    {
        IEnumerable<string> headers = wide ? [.. Headers, .. WideHeaders] : Headers;
        if (withNamespace)
        {
            headers = headers.Prepend("NAMESPACE");
        }

        var rows = items
            .OrderBy(i => i["metadata"]?["namespace"]?.GetValue<string>(), StringComparer.Ordinal)
            .ThenBy(i => i["metadata"]?["name"]?.GetValue<string>(), StringComparer.Ordinal)
            .Select(i =>
            {
                IEnumerable<string> cells = wide ? [.. Row(i, now), .. WideRow(i)] : Row(i, now);
                return (IReadOnlyList<string>)(withNamespace ? cells.Prepend(i["metadata"]?["namespace"]?.GetValue<string>() ?? "") : cells).ToList();
            });
        return TextTable.Render(headers.ToList(), rows);
    }
}
