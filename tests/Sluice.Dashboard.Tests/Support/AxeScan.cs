using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Sluice.Dashboard.Tests.Support;

/// <summary>An axe-core scan of a page: its serious and critical violations, in words (none is the bar).</summary>
public static class AxeScan
{
    private static readonly AxeRunOptions ViolationsOnly = new() { ResultTypes = [ResultType.Violations] };

    public static async Task<IReadOnlyList<string>> SeriousOrCriticalAsync(IPage page, string view)
    {
        var result = await page.RunAxe(ViolationsOnly);
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{view}: {v.Impact} {v.Id} ({v.Help}) at {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}")
            .ToList();
    }
}
