using System.Collections.Concurrent;
using System.Security.Cryptography;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Views;

/// <summary>What an action did (or why it was refused), shown once on the page the action redirects to.</summary>
internal sealed record Flash(bool Ok, string Message)
{
    public Html Render() => Ok
        ? Html.Of($"<p class=\"flash ok\" role=\"status\" id=\"flash\">{Message}</p>")
        : Html.Of($"<p class=\"flash bad\" role=\"alert\" id=\"flash\">{Message}</p>");
}

/// <summary>Flashes kept until shown (a few at most), by a random id in the redirect's query.</summary>
internal sealed class Flashes
{
    private const int Kept = 64;
    private readonly ConcurrentDictionary<string, Flash> flashes = new();
    private readonly ConcurrentQueue<string> order = new();

    public string Add(Flash flash)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        flashes[id] = flash;
        order.Enqueue(id);
        while (order.Count > Kept && order.TryDequeue(out var old))
        {
            flashes.TryRemove(old, out _);
        }

        return id;
    }

    public Flash? Take(string? id) => id is not null && flashes.TryRemove(id, out var flash) ? flash : null;
}
