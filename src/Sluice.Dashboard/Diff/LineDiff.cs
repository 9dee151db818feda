namespace Sluice.Dashboard.Diff;

/// <summary>
/// A line diff (Myers' O(ND) algorithm): the shortest edit script from one text to another, grouped into hunks with
/// context as <c>diff -u</c> does. Pure. Example: "a\nb\nc" to "a\nc\nd" is a kept, b removed, c kept, d added.
/// </summary>
internal static class LineDiff
{
    public static IReadOnlyList<DiffLine> Lines(string before, string after)
    {
        var a = Split(before);
        var b = Split(after);
        var n = a.Length;
        var m = b.Length;
        var max = n + m;
        var v = new int[(2 * max) + 2];
        var trace = new List<int[]>();
        for (var d = 0; d <= max; d++)
        {
            trace.Add((int[])v.Clone());
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y])
                {
                    x++;
                    y++;
                }

                v[max + k] = x;
                if (x >= n && y >= m)
                {
                    return Backtrack(trace, a, b, max, d);
                }
            }
        }

        throw new InvalidOperationException("unreachable: a diff always ends within n + m steps");
    }

    /// <summary>The changed lines with <paramref name="context"/> unchanged lines around them, as hunks.</summary>
    public static IReadOnlyList<DiffHunk> Hunks(IReadOnlyList<DiffLine> lines, int context = 3)
    {
        var hunks = new List<DiffHunk>();
        var changed = lines.Select((l, i) => (l, i)).Where(p => p.l.Kind != DiffKind.Same).Select(p => p.i).ToList();
        var start = -1;
        var end = -1;
        foreach (var i in changed)
        {
            if (start >= 0 && i - context <= end + context)
            {
                end = i;
                continue;
            }

            if (start >= 0)
            {
                hunks.Add(Hunk(lines, start, end, context));
            }

            start = end = i;
        }

        if (start >= 0)
        {
            hunks.Add(Hunk(lines, start, end, context));
        }

        return hunks;
    }

    private static DiffHunk Hunk(IReadOnlyList<DiffLine> lines, int start, int end, int context)
    {
        var from = Math.Max(0, start - context);
        var to = Math.Min(lines.Count - 1, end + context);
        return new DiffHunk(lines.Skip(from).Take(to - from + 1).ToList());
    }

    private static List<DiffLine> Backtrack(List<int[]> trace, string[] a, string[] b, int max, int depth)
    {
        var lines = new List<DiffLine>();
        var x = a.Length;
        var y = b.Length;
        for (var d = depth; d > 0; d--)
        {
            var v = trace[d];
            var k = x - y;
            var prevK = k == -d || (k != d && v[max + k - 1] < v[max + k + 1]) ? k + 1 : k - 1;
            var prevX = v[max + prevK];
            var prevY = prevX - prevK;
            while (x > prevX && y > prevY)
            {
                lines.Add(new DiffLine(DiffKind.Same, a[x - 1], x, y));
                x--;
                y--;
            }

            if (x == prevX)
            {
                lines.Add(new DiffLine(DiffKind.Added, b[y - 1], null, y));
                y--;
            }
            else
            {
                lines.Add(new DiffLine(DiffKind.Removed, a[x - 1], x, null));
                x--;
            }
        }

        while (x > 0 && y > 0)
        {
            lines.Add(new DiffLine(DiffKind.Same, a[x - 1], x, y));
            x--;
            y--;
        }

        lines.Reverse();
        return lines;
    }

    private static string[] Split(string text) => text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
}

internal enum DiffKind
{
    Same,
    Added,
    Removed,
}

/// <summary>One line of a diff with its 1-based numbers in the old and new text (null where it is not in one of them).</summary>
internal sealed record DiffLine(DiffKind Kind, string Text, int? Old, int? New);

internal sealed record DiffHunk(IReadOnlyList<DiffLine> Lines);
