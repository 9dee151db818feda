using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// A label selector and a field selector, parsed from their query-string forms
/// (<c>app=web,tier!=db,env in (a,b),!legacy</c> and <c>metadata.name=x,status.phase!=Running</c>).
/// </summary>
public sealed class ObjectFilter
{
    private readonly List<Func<JsonObject, bool>> _tests;

    private ObjectFilter(List<Func<JsonObject, bool>> tests) => _tests = tests;

    public static ObjectFilter All { get; } = new([]);

    public bool IsEmpty => _tests.Count == 0;

    public bool Matches(JsonObject obj) => _tests.TrueForAll(t => t(obj));

    public static ObjectFilter Parse(string? labelSelector, string? fieldSelector)
    {
        var tests = new List<Func<JsonObject, bool>>();
        if (!string.IsNullOrWhiteSpace(labelSelector))
        {
            foreach (var term in SplitTerms(labelSelector))
            {
                tests.Add(ParseLabelTerm(term));
            }
        }
        if (!string.IsNullOrWhiteSpace(fieldSelector))
        {
            foreach (var term in SplitTerms(fieldSelector))
            {
                tests.Add(ParseFieldTerm(term));
            }
        }
        return new ObjectFilter(tests);
    }

    private static IEnumerable<string> SplitTerms(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            if (selector[i] == '(')
            {
                depth++;
            }
            else if (selector[i] == ')')
            {
                depth--;
            }
            else if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i].Trim();
                start = i + 1;
            }
        }
        var last = selector[start..].Trim();
        if (last.Length > 0)
        {
            yield return last;
        }
    }

    private static Func<JsonObject, bool> ParseLabelTerm(string term)
    {
        static string? Label(JsonObject o, string key) => o["metadata"]?["labels"]?[key]?.GetValue<string>();
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = term[..at].Trim();
                var value = term[(at + op.Length)..].Trim();
                return op == "!=" ? o => Label(o, key) != value : o => Label(o, key) == value;
            }
        }
        var inAt = term.IndexOf(" notin ", StringComparison.Ordinal);
        var negate = inAt > 0;
        if (!negate)
        {
            inAt = term.IndexOf(" in ", StringComparison.Ordinal);
        }
        if (inAt > 0)
        {
            var key = term[..inAt].Trim();
            var rest = term[(inAt + (negate ? 7 : 4))..].Trim();
            if (!rest.StartsWith('(') || !rest.EndsWith(')'))
            {
                throw Errors.BadRequest($"unable to parse requirement: found '{rest}', expected: '('");
            }
            var values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            return negate
                ? o => Label(o, key) is not { } v || !values.Contains(v)
                : o => Label(o, key) is { } v && values.Contains(v);
        }
        if (term.StartsWith('!'))
        {
            var key = term[1..].Trim();
            return o => Label(o, key) is null;
        }
        if (term.Any(c => char.IsWhiteSpace(c) || c is '(' or ')'))
        {
            throw Errors.BadRequest($"unable to parse requirement: invalid label selector term '{term}'");
        }
        return o => Label(o, term) is not null;
    }

    private static Func<JsonObject, bool> ParseFieldTerm(string term)
    {
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var path = term[..at].Trim().Split('.');
                var value = term[(at + op.Length)..].Trim();
                return op == "!=" ? o => Field(o, path) != value : o => Field(o, path) == value;
            }
        }
        throw Errors.BadRequest($"invalid field selector: '{term}': expected an operator (=, ==, !=)");
    }

    private static string Field(JsonObject obj, string[] path)
    {
        JsonNode? node = obj;
        foreach (var part in path)
        {
            node = node is JsonObject o ? o[part] : null;
        }
        return node switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };
    }
}
