using System.Text;
using Sluice.Controllers.Operations;
using Sluice.Core.Engine;

namespace Sluice.Cli.Output;

/// <summary>
/// The traffic part of <c>rollout watch</c> and <c>describe rollout</c>: each route with where it sends requests, its
/// mirror and matches; each Service with the revision it selects; and, on the embedded plane, the live share per revision
/// (nothing is said about it on a real cluster). Pure.
/// </summary>
internal static class TrafficSection
{
    public static string Render(TrafficPicture picture)
    {
        var rows = new List<(string Label, string Text)>();
        foreach (var route in picture.Observed.Routes)
        {
            rows.Add(($"{route.Kind} {route.Name}", TrafficText.Split(route, picture)));
            if (TrafficText.Mirror(route, picture) is { } mirror)
            {
                rows.Add(("", mirror));
            }

            if (TrafficText.MatchLine(route, picture) is { } matches)
            {
                rows.Add(("", $"matches: {matches}"));
            }
        }

        foreach (var service in picture.Observed.Services)
        {
            rows.Add(($"Service {service.Name}", $"{Role(service.Role)}: {TrafficText.Service(service, picture)}"));
        }

        if (picture.Measured)
        {
            if (picture.Live is { } live)
            {
                rows.Add(("Live share", TrafficText.Shares(live)));
                if (live.Requests > 0)
                {
                    rows.Add(("", $"({TrafficText.Window(live)})"));
                }
            }
            else if (picture.Problem is null)
            {
                rows.Add(("Live share", TrafficText.NoClients(picture)));
            }
        }

        var text = new StringBuilder();
        text.Append($"Traffic (clients use Service {picture.Service}):\n");
        if (picture.Problem is { } problem)
        {
            text.Append($"  {problem}\n");
        }

        var width = rows.Count == 0 ? 0 : Math.Min(rows.Max(r => r.Label.Length), 32) + 2;
        foreach (var (label, value) in rows)
        {
            text.Append("  ").Append(label.PadRight(width)).Append(value).Append('\n');
        }

        return text.ToString();
    }

    private static string Role(ServiceRole role) => role.ToString().ToLowerInvariant();
}
