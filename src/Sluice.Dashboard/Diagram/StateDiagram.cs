using System.Globalization;
using Sluice.Core.Api;
using Sluice.Core.StateMachine;
using Sluice.Dashboard.Markup;

namespace Sluice.Dashboard.Diagram;

/// <summary>
/// The AppRollout state machine as an SVG, drawn from <see cref="TransitionTable.Rows"/> (the table docs/state-machine.md
/// is generated from), with the current state and batch state highlighted. Layout: states in layers by their longest
/// path from <c>locatingTargetApp</c> (edges back to an earlier layer curve round the left); the batch states in a row
/// inside <c>rollingInBatches</c>; an event that leads to one state from many (Modified, Deleted) is drawn once, from
/// "any unfinished state", in a column on the right. Pure: the same table and state always give the same picture.
/// </summary>
internal static class StateDiagram
{
    private const double NodeWidth = 150;
    private const double NodeHeight = 34;
    private const double LayerGap = 64;
    private const double MainX = 400;
    private const double SideX = 920;
    private const double SubWidth = 100;
    private const double SubHeight = 30;
    private const double SubGap = 22;
    private const int FanIn = 3;

    public static Html Render(IReadOnlyList<Transition> rows, RollingState? current, BatchRollingState? currentBatch)
    {
        var inner = rows.Where(r => r.From == RollingState.RollingInBatches && r.To == RollingState.RollingInBatches).ToList();
        var outer = rows.Except(inner).ToList();
        var groups = outer.GroupBy(r => (r.Event, r.To)).Where(g => g.Select(r => r.From).Distinct().Count() >= FanIn).ToList();
        var grouped = groups.SelectMany(g => g).ToHashSet();
        var simple = outer.Where(r => !grouped.Contains(r)).ToList();

        // Layers: longest path over the simple edges, back edges (found by a depth-first walk in table order) left out.
        var states = TransitionTable.States.Where(s => rows.Any(r => r.From == s || r.To == s)).ToList();
        var sideStates = groups.Select(g => g.Key.To).Where(s => !simple.Any(r => r.To == s && r.From != s)).Distinct().ToList();
        var mainStates = states.Except(sideStates).ToList();
        var back = BackEdges(simple, RollingState.LocatingTargetApp);
        var forward = simple.Where(r => !back.Contains(r) && r.From != r.To && !sideStates.Contains(r.From) && !sideStates.Contains(r.To)).ToList();
        var layer = mainStates.ToDictionary(s => s, _ => 0);
        for (var pass = 0; pass < mainStates.Count; pass++)
        {
            foreach (var edge in forward)
            {
                layer[edge.To] = Math.Max(layer[edge.To], layer[edge.From] + 1);
            }
        }

        var subStates = SubStateOrder(inner);
        var layers = mainStates.GroupBy(s => layer[s]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var boxes = new Dictionary<RollingState, Box>();
        var y = 24.0;
        var rollingHeight = NodeHeight + SubHeight + 40;
        var rollingWidth = (subStates.Count * SubWidth) + ((subStates.Count + 1) * SubGap);
        foreach (var row in layers)
        {
            var rowHeight = row.Contains(RollingState.RollingInBatches) ? rollingHeight : NodeHeight;
            var widths = row.Select(s => s == RollingState.RollingInBatches ? rollingWidth : NodeWidth).ToList();
            var x = MainX - ((widths.Sum() + ((row.Count - 1) * 40)) / 2);
            for (var i = 0; i < row.Count; i++)
            {
                boxes[row[i]] = new Box(x, y, widths[i], row[i] == RollingState.RollingInBatches ? rollingHeight : NodeHeight);
                x += widths[i] + 40;
            }

            y += rowHeight + LayerGap;
        }

        var height0 = y;
        var sideY = boxes[RollingState.LocatingTargetApp].Y;
        var pseudo = new List<(Box Box, IGrouping<(RolloutEvent Event, RollingState To), Transition> Group)>();
        foreach (var group in groups)
        {
            var p = new Box(SideX - (NodeWidth / 2), sideY, NodeWidth, NodeHeight);
            pseudo.Add((p, group));
            sideY += NodeHeight + LayerGap;
            if (!boxes.ContainsKey(group.Key.To))
            {
                boxes[group.Key.To] = new Box(SideX - (NodeWidth / 2), sideY, NodeWidth, NodeHeight);
                sideY += NodeHeight + LayerGap;
            }
        }

        var subBoxes = new Dictionary<BatchRollingState, Box>();
        if (boxes.TryGetValue(RollingState.RollingInBatches, out var rolling))
        {
            for (var i = 0; i < subStates.Count; i++)
            {
                subBoxes[subStates[i]] = new Box(rolling.X + SubGap + (i * (SubWidth + SubGap)), rolling.Y + NodeHeight, SubWidth, SubHeight);
            }
        }

        var parts = new List<Html>();

        // An edge that skips layers goes down a lane of its own on the right, clear of the states it passes.
        var laneX = MainX + (rollingWidth / 2) + 24;
        var backX = boxes.Where(b => !sideStates.Contains(b.Key)).Min(b => b.Value.X) - 18;
        foreach (var edge in simple)
        {
            var fromMain = layer.TryGetValue(edge.From, out var a);
            var toMain = layer.TryGetValue(edge.To, out var b);
            if ((fromMain && toMain && b - a > 1) || (!fromMain && toMain && boxes[edge.To].Y > boxes[edge.From].Bottom))
            {
                // Skips layers (or comes from the right-hand column down into the main one).
                parts.Add(Lane(boxes[edge.From], boxes[edge.To], laneX, edge));
                laneX += 16;
                continue;
            }

            if (fromMain && toMain && b < a)
            {
                parts.Add(Back(boxes[edge.From], boxes[edge.To], backX, edge));
                backX -= 14;
                continue;
            }

            parts.Add(Edge(boxes[edge.From], boxes[edge.To], edge.Event.ToString(), edge));
        }

        foreach (var (box, group) in pseudo)
        {
            var target = boxes[group.Key.To];
            parts.Add(Path(Line(box.BottomX, box.Bottom, target.CenterX, target.Y), group.Key.Event.ToString(), (box.BottomX + target.CenterX) / 2, (box.Bottom + target.Y) / 2, $"{group.Key.Event}: from {string.Join(", ", group.Select(r => Name(r.From)))} to {Name(group.Key.To)}"));
        }

        foreach (var edge in inner)
        {
            if (edge.FromBatch is null && edge.ToBatch is { } entered && rolling is not null && subBoxes.TryGetValue(entered, out var into))
            {
                // A row from any batch state (PlanShortened): drawn from the container's edge into the state it enters.
                parts.Add(Path(Line(rolling.X, rolling.Y + (NodeHeight / 2), into.CenterX, into.Y), edge.Event.ToString(), (rolling.X + into.CenterX) / 2, rolling.Y + 12, $"{edge.Event}: any batch state to {Name(entered)}"));
                continue;
            }

            if (edge.FromBatch is not { } from || edge.ToBatch is not { } to || !subBoxes.TryGetValue(from, out var a) || !subBoxes.TryGetValue(to, out var b))
            {
                continue;
            }

            var title = $"{edge.Event}: {Name(from)} to {Name(to)}";
            parts.Add(b.X > a.X
                ? Path(Line(a.X + a.Width, a.CenterY, b.X, b.CenterY), null, 0, 0, title)
                : Path($"M{N(a.CenterX)},{N(a.Bottom)} C{N(a.CenterX)},{N(a.Bottom + 26)} {N(b.CenterX)},{N(b.Bottom + 26)} {N(b.CenterX)},{N(b.Bottom)}", edge.Event.ToString(), (a.CenterX + b.CenterX) / 2, a.Bottom + 22, title));
        }

        foreach (var state in boxes.Keys)
        {
            var box = boxes[state];
            var isCurrent = state == current;
            parts.Add(Html.Of($"""
                <g class="node{(isCurrent ? " current" : "")}{(state == RollingState.RollingInBatches ? " container" : "")}" data-state="{Name(state)}"><title>{Name(state)}{(isCurrent ? " (current)" : "")}</title><rect x="{N(box.X)}" y="{N(box.Y)}" width="{N(box.Width)}" height="{N(box.Height)}" rx="8"/><text x="{N(box.CenterX)}" y="{N(box.Y + 22)}">{Name(state)}</text></g>
                """));
        }

        foreach (var (sub, box) in subBoxes)
        {
            var isCurrent = current == RollingState.RollingInBatches && sub == currentBatch;
            parts.Add(Html.Of($"""
                <g class="node sub{(isCurrent ? " current" : "")}" data-batch-state="{Name(sub)}"><title>{Name(sub)}{(isCurrent ? " (current)" : "")}</title><rect x="{N(box.X)}" y="{N(box.Y)}" width="{N(box.Width)}" height="{N(box.Height)}" rx="6"/><text x="{N(box.CenterX)}" y="{N(box.Y + 19)}">{Name(sub)}</text></g>
                """));
        }

        foreach (var (box, group) in pseudo)
        {
            parts.Add(Html.Of($"""
                <g class="node any"><title>any of: {string.Join(", ", group.Select(r => Name(r.From)))}</title><rect x="{N(box.X)}" y="{N(box.Y)}" width="{N(box.Width)}" height="{N(box.Height)}" rx="17"/><text x="{N(box.CenterX)}" y="{N(box.Y + 22)}">any unfinished state</text></g>
                """));
        }

        var width = Math.Max(SideX + (NodeWidth / 2) + 20, laneX + 20);
        var height = Math.Max(height0, sideY) + 10;
        var now = current is { } c ? Name(c) + (c == RollingState.RollingInBatches && currentBatch is { } cb ? " / " + Name(cb) : "") : "not started";
        return Html.Of($"""
            <svg class="state-machine" viewBox="0 0 {N(width)} {N(height)}" width="{N(width)}" height="{N(height)}" role="img" aria-labelledby="sm-title sm-desc">
            <title id="sm-title">The AppRollout state machine</title>
            <desc id="sm-desc">Generated from the transition table; the current state is {now}. The transitions from it are listed below the diagram.</desc>
            <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>
            {parts}
            </svg>
            """);
    }

    /// <summary>The rows that leave the current state: what can happen next, in words.</summary>
    public static IReadOnlyList<Transition> From(IReadOnlyList<Transition> rows, RollingState? current, BatchRollingState? batch) =>
        current is { } state ? rows.Where(r => r.From == state && (r.FromBatch is null || r.FromBatch == batch)).ToList() : [];

    public static string Name(RollingState state) => ApiEnumJsonConverter<RollingState>.NameOf(state);

    public static string Name(BatchRollingState state) => ApiEnumJsonConverter<BatchRollingState>.NameOf(state);

    private static Html Edge(Box from, Box to, string label, Transition row)
    {
        var title = $"{row.Event}: {Name(row.From)} to {Name(row.To)}";
        if (row.From == row.To)
        {
            var x = from.X + from.Width;
            return Path($"M{N(x)},{N(from.Y + 8)} C{N(x + 40)},{N(from.Y - 14)} {N(x + 40)},{N(from.Bottom + 14)} {N(x)},{N(from.Bottom - 8)}", label, x + 34, from.CenterY + 4, title);
        }

        if (to.Y > from.Bottom)
        {
            var sx = from.CenterX + ((to.CenterX - from.CenterX) * 0.25);
            var d = $"M{N(sx)},{N(from.Bottom)} C{N(sx)},{N(from.Bottom + 30)} {N(to.CenterX)},{N(to.Y - 30)} {N(to.CenterX)},{N(to.Y)}";
            return Path(d, label, (sx + to.CenterX) / 2, (from.Bottom + to.Y) / 2 + 4, title);
        }

        if (from.X >= SideX - NodeWidth)
        {
            // From the right-hand column back into the main one.
            var d = $"M{N(from.X)},{N(from.CenterY)} C{N(from.X - 80)},{N(from.CenterY)} {N(to.X + to.Width + 80)},{N(to.CenterY)} {N(to.X + to.Width)},{N(to.CenterY)}";
            return Path(d, label, (from.X + to.X + to.Width) / 2, (from.CenterY + to.CenterY) / 2 - 6, title);
        }

        // Back to an earlier layer: round the left.
        var left = Math.Min(from.X, to.X) - 40 - (Math.Abs(from.CenterY - to.CenterY) / 12);
        var back = $"M{N(from.X)},{N(from.CenterY)} C{N(left)},{N(from.CenterY)} {N(left)},{N(to.CenterY)} {N(to.X)},{N(to.CenterY)}";
        return Path(back, label, left + 4, (from.CenterY + to.CenterY) / 2, title);
    }

    /// <summary>Up to an earlier layer, down a lane of its own on the left.</summary>
    private static Html Back(Box from, Box to, double x, Transition row)
    {
        var d = $"M{N(from.X)},{N(from.CenterY)} L{N(x + 10)},{N(from.CenterY)} Q{N(x)},{N(from.CenterY)} {N(x)},{N(from.CenterY - 10)} "
            + $"L{N(x)},{N(to.CenterY + 10)} Q{N(x)},{N(to.CenterY)} {N(x + 10)},{N(to.CenterY)} L{N(to.X)},{N(to.CenterY)}";
        return Path(d, row.Event.ToString(), (from.X + x) / 2, from.CenterY - 4, $"{row.Event}: {Name(row.From)} to {Name(row.To)}");
    }

    private static Html Lane(Box from, Box to, double x, Transition row)
    {
        var sx = from.X >= x ? from.X : from.X + from.Width;
        var tx = to.X + to.Width;
        var d = $"M{N(sx)},{N(from.CenterY)} L{N(x - 10)},{N(from.CenterY)} Q{N(x)},{N(from.CenterY)} {N(x)},{N(from.CenterY + 10)} "
            + $"L{N(x)},{N(to.CenterY - 10)} Q{N(x)},{N(to.CenterY)} {N(x - 10)},{N(to.CenterY)} L{N(tx)},{N(to.CenterY)}";
        return Path(d, row.Event.ToString(), (sx + x) / 2, from.CenterY - 4, $"{row.Event}: {Name(row.From)} to {Name(row.To)}");
    }

    private static Html Path(string d, string? label, double lx, double ly, string title) => Html.Of($"""
        <g class="edge"><title>{title}</title><path d="{d}" marker-end="url(#arrow)"/>{(label is null ? Html.Empty : Html.Of($"<text x=\"{N(lx)}\" y=\"{N(ly)}\">{label}</text>"))}</g>
        """);

    private static string Line(double x1, double y1, double x2, double y2) => $"M{N(x1)},{N(y1)} L{N(x2)},{N(y2)}";

    private static HashSet<Transition> BackEdges(IReadOnlyList<Transition> edges, RollingState start)
    {
        var back = new HashSet<Transition>();
        var visited = new HashSet<RollingState>();
        var onPath = new HashSet<RollingState>();
        void Walk(RollingState state)
        {
            visited.Add(state);
            onPath.Add(state);
            foreach (var edge in edges.Where(e => e.From == state))
            {
                if (onPath.Contains(edge.To))
                {
                    back.Add(edge);
                }
                else if (!visited.Contains(edge.To))
                {
                    Walk(edge.To);
                }
            }

            onPath.Remove(state);
        }

        Walk(start);
        return back;
    }

    /// <summary>The batch states in the order the rows chain them, starting where rollingInBatches starts.</summary>
    private static List<BatchRollingState> SubStateOrder(IReadOnlyList<Transition> inner)
    {
        var order = new List<BatchRollingState>();
        var next = TransitionTable.Rows.FirstOrDefault(r => r.To == RollingState.RollingInBatches && r.From != RollingState.RollingInBatches)?.ToBatch
            ?? inner.FirstOrDefault()?.FromBatch;
        while (next is { } state && !order.Contains(state))
        {
            order.Add(state);
            next = inner.FirstOrDefault(r => r.FromBatch == state && r.ToBatch is { } to && !order.Contains(to))?.ToBatch;
        }

        order.AddRange(inner.SelectMany(r => new[] { r.FromBatch, r.ToBatch }).OfType<BatchRollingState>().Distinct().Except(order));
        return order;
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private sealed record Box(double X, double Y, double Width, double Height)
    {
        public double CenterX => X + (Width / 2);

        public double CenterY => Y + (Height / 2);

        public double Bottom => Y + Height;

        public double BottomX => CenterX;
    }
}
