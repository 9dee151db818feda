using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;
using Sluice.Core.Analysis;

namespace Sluice.Controllers.Analysis;

/// <summary>
/// Metric conditions in CEL (the Cel package) over one variable, <c>result</c>: a number (every JSON number is a
/// double, so <c>result / 2</c> never truncates), a string, a boolean, a list or a map, as the provider gave it.
/// Examples: <c>result >= 99</c>; <c>size(result) == 0 || result[0] &lt; 500.0</c>; <c>result.p99 &lt; 300</c>.
/// Compiled expressions are cached; <see cref="Check"/> is the compile check verifyingSpec calls. The Cel package's
/// environment takes about a second to build, so it is built on first use, never on a controller's way to work.
/// </summary>
public sealed class CelConditions : IConditionChecker, IConditionEvaluator
{
    public const string ResultVariable = "result";

    /// <summary>Values a condition is tried on to find references to anything but <c>result</c>.</summary>
    private static readonly object?[] Probes = [0.0, new List<object?>(), new Dictionary<string, object?>(), string.Empty, false];

    private readonly Lock compileGate = new();
    private readonly Lazy<CelEnvironment> environment = new(() => new CelEnvironment(null, null), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly ConcurrentDictionary<string, CelProgramDelegate> compiled = new(StringComparer.Ordinal);

    public static CelConditions Shared { get; } = new();

    /// <summary>Null when the expression compiles and refers to nothing but <c>result</c>; otherwise why not.</summary>
    public string? Check(string expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return "empty expression";
        }

        if (CelLexicalCheck.Check(expression) is { } lexical)
        {
            return $"syntax error: {lexical}";
        }

        CelProgramDelegate program;
        try
        {
            program = Compile(expression);
        }
        catch (CelExpressionParserException e)
        {
            return $"syntax error: {e.Message}";
        }
        catch (CelException e)
        {
            return e.Message;
        }

        // The Cel package resolves names when it runs: an expression is wrong when every kind of result finds a name
        // that is not there, right when at least one runs (a type error over a probe is the value's fault, not its).
        string? undeclared = null;
        foreach (var probe in Probes)
        {
            try
            {
                program.Invoke(new Dictionary<string, object?> { [ResultVariable] = probe });
                return null;
            }
            catch (CelUndeclaredReferenceException e)
            {
                undeclared ??= e.Message;
            }
            catch (CelUnboundFunctionException e)
            {
                undeclared ??= e.Message;
            }
            catch (Exception)
            {
                return null;
            }
        }

        return undeclared is null ? null : $"{undeclared} (a condition sees only `{ResultVariable}`)";
    }

    public bool Evaluate(string expression, JsonNode? result)
    {
        if (Check(expression) is { } problem)
        {
            throw new ConditionException(problem);
        }

        object? value;
        try
        {
            value = Compile(expression).Invoke(new Dictionary<string, object?> { [ResultVariable] = ToCel(result) });
        }
        catch (Exception e) when (e is CelException or InvalidCastException or ArgumentException or IndexOutOfRangeException or KeyNotFoundException or InvalidOperationException or NullReferenceException)
        {
            throw new ConditionException($"`{expression}`: {e.Message}");
        }

        return value is bool b ? b : throw new ConditionException($"`{expression}` gave {value ?? "null"}, not true or false");
    }

    /// <summary>A JSON value as the Cel package takes it: double, string, bool, null, List, Dictionary.</summary>
    internal static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => array.Select(ToCel).ToList(),
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToCel(p.Value), StringComparer.Ordinal),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.Number => JsonNumbers.TryGetDouble(v, out var d) ? d : 0.0,
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        },
        _ => null,
    };

    private CelProgramDelegate Compile(string expression)
    {
        if (compiled.TryGetValue(expression, out var program))
        {
            return program;
        }

        lock (compileGate)
        {
            program = compiled.GetOrAdd(expression, e => environment.Value.Compile(e));
        }

        return program;
    }
}
