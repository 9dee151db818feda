using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.Core.Analysis;

/// <summary>
/// The JSONPath subset a web metric needs to pick its value: <c>$</c>, <c>.name</c>, <c>['name']</c>, <c>[0]</c>,
/// <c>[-1]</c> (from the end), <c>[*]</c> and <c>.*</c> (every element, giving a list). kubectl's form
/// <c>{.data.value}</c> and a path without <c>$</c> (<c>data.value</c>) are accepted too.
/// Examples over <c>{"data":{"values":[1,2]}}</c>: <c>$.data.values[1]</c> is 2; <c>$.data.values[*]</c> is [1,2].
/// </summary>
public sealed class JsonPathSelector
{
    private readonly IReadOnlyList<Step> steps;

    private JsonPathSelector(string text, IReadOnlyList<Step> steps)
    {
        Text = text;
        this.steps = steps;
    }

    public string Text { get; }

    /// <summary>The parsed path, or null with <paramref name="error"/> saying what is wrong where.</summary>
    public static JsonPathSelector? Parse(string? text, out string? error)
    {
        error = null;
        var path = (text ?? string.Empty).Trim();
        if (path.StartsWith('{') && path.EndsWith('}'))
        {
            path = path[1..^1].Trim();
        }

        if (path.StartsWith('$'))
        {
            path = path[1..];
        }

        var steps = new List<Step>();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.' || (i == 0 && path[i] != '['))
            {
                if (path[i] == '.')
                {
                    i++;
                }

                var start = i;
                while (i < path.Length && path[i] != '.' && path[i] != '[')
                {
                    i++;
                }

                var name = path[start..i];
                if (name.Length == 0)
                {
                    error = $"empty name at {start}";
                    return null;
                }

                steps.Add(name == "*" ? Step.All : Step.Field(name));
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0)
                {
                    error = $"\"[\" at {i} is never closed";
                    return null;
                }

                var inside = path[(i + 1)..close].Trim();
                if (inside == "*")
                {
                    steps.Add(Step.All);
                }
                else if (inside.Length >= 2 && (inside[0] == '\'' || inside[0] == '"') && inside[^1] == inside[0])
                {
                    steps.Add(Step.Field(inside[1..^1]));
                }
                else if (int.TryParse(inside, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add(Step.Index(index));
                }
                else
                {
                    error = $"\"[{inside}]\" at {i}: want an index, '*' or a quoted name";
                    return null;
                }

                i = close + 1;
            }
            else
            {
                error = $"unexpected \"{path[i]}\" at {i}";
                return null;
            }
        }

        return new JsonPathSelector(text ?? string.Empty, steps);
    }

    /// <summary>
    /// The selected value; null with <paramref name="error"/> when a name or index is absent. After a wildcard the
    /// result is the list of what every element gives (elements lacking the rest of the path are left out).
    /// </summary>
    public JsonNode? Select(JsonNode? root, out string? error)
    {
        error = null;
        var current = new List<JsonNode?> { root };
        var many = false;
        foreach (var step in steps)
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                switch (step.Kind)
                {
                    case StepKind.Field when node is JsonObject obj && obj.TryGetPropertyValue(step.Name!, out var child):
                        next.Add(child);
                        break;
                    case StepKind.Index when node is JsonArray array && Resolve(step.Number, array.Count) is { } at:
                        next.Add(array[at]);
                        break;
                    case StepKind.All when node is JsonArray array:
                        next.AddRange(array);
                        break;
                    case StepKind.All when node is JsonObject obj:
                        next.AddRange(obj.Select(p => p.Value));
                        break;
                    default:
                        if (!many)
                        {
                            error = $"{Text}: {Describe(step)} not found";
                            return null;
                        }

                        break;
                }
            }

            many |= step.Kind == StepKind.All;
            current = next;
        }

        return many ? new JsonArray(current.Select(n => n?.DeepClone()).ToArray()) : current[0]?.DeepClone();
    }

    private static int? Resolve(int index, int count)
    {
        var at = index < 0 ? count + index : index;
        return at >= 0 && at < count ? at : null;
    }

    private static string Describe(Step step) => step.Kind switch
    {
        StepKind.Field => $"\"{step.Name}\"",
        StepKind.Index => $"[{step.Number}]",
        _ => "[*]",
    };

    private enum StepKind
    {
        Field,
        Index,
        All,
    }

    private sealed record Step(StepKind Kind, string? Name, int Number)
    {
        public static readonly Step All = new(StepKind.All, null, 0);

        public static Step Field(string name) => new(StepKind.Field, name, 0);

        public static Step Index(int index) => new(StepKind.Index, null, index);
    }
}
