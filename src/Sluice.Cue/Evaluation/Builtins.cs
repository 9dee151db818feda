using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Cue.Rendering;
using Sluice.Cue.Syntax;

namespace Sluice.Cue.Evaluation;

/// <summary>
/// CUE's builtins (<c>len</c>, <c>close</c>, <c>and</c>, <c>or</c>, <c>div</c>, <c>mod</c>, <c>quo</c>, <c>rem</c>) and the
/// functions of the standard packages in <see cref="StandardLibrary.Supported"/>. Arguments are concrete values;
/// a function that does not exist, or wrong arguments, is an error naming the call.
/// </summary>
internal static class Builtins
{
    private delegate Value Function(Evaluator evaluator, CallExpr call, IReadOnlyList<Value> args);

    private static readonly Dictionary<string, (int Min, int Max, Function Body)> Functions = Table();

    public static Value Call(Evaluator evaluator, CallExpr call, Env? env)
    {
        var name = FunctionName(evaluator, call, env, out var resolveError);
        if (name is null)
        {
            return resolveError ?? Fail(call, "only builtins and functions of imported packages can be called");
        }
        if (name == "close")
        {
            return call.Args.Count == 1 ? evaluator.Eval(call.Args[0], env) : Fail(call, $"close: expected 1 argument, got {call.Args.Count}");
        }
        if (!Functions.TryGetValue(name, out var function))
        {
            return Fail(call, $"unsupported call {name}: Sluice does not implement it (see docs/cue-templates.md)");
        }
        if (call.Args.Count < function.Min || call.Args.Count > function.Max)
        {
            var expected = function.Min == function.Max ? $"{function.Min}" : $"{function.Min} to {function.Max}";
            return Fail(call, $"{name}: expected {expected} arguments, got {call.Args.Count}");
        }
        var args = new List<Value>();
        foreach (var arg in call.Args)
        {
            var value = Unifier.Concrete(evaluator.Eval(arg, env));
            if (value is BottomValue)
            {
                return value;
            }
            args.Add(value);
        }
        try
        {
            return function.Body(evaluator, call, args);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            return Fail(call, $"{name}: {e.Message}");
        }
    }

    /// <summary>A constant of a standard package, such as <c>math.Pi</c>, or null.</summary>
    public static Value? Constant(string package, string name) => (package, name) switch
    {
        ("math", "Pi") => new FloatValue(Math.PI),
        ("math", "E") => new FloatValue(Math.E),
        ("math", "MaxInt64") => new IntValue(long.MaxValue),
        ("math", "MinInt64") => new IntValue(long.MinValue),
        ("math", "MaxInt32") => new IntValue(int.MaxValue),
        ("math", "MinInt32") => new IntValue(int.MinValue),
        _ => null,
    };

    /// <summary><c>len</c>, or <c>path.Name</c> for a function of an imported (or, leniently, a well-known) package.</summary>
    private static string? FunctionName(Evaluator evaluator, CallExpr call, Env? env, out Value? error)
    {
        error = null;
        switch (call.Fun)
        {
            case Ident ident:
                return ident.Name;
            case SelectorExpr { X: var x } selector:
                var target = evaluator.Eval(x, env);
                if (target is PackageValue { Package: BuiltinPackage package })
                {
                    return $"{package.Path}.{selector.Name}";
                }
                if (target is BottomValue { Kind: BottomKind.Undefined } && x is Ident { Name: var shortName }
                    && StandardLibrary.ByShortName.TryGetValue(shortName, out var path))
                {
                    return $"{path}.{selector.Name}";
                }
                error = target is BottomValue bottom ? bottom : Fail(call, $"cannot call {selector.Name} of {target.Describe()}");
                return null;
            default:
                return null;
        }
    }

    private static Dictionary<string, (int, int, Function)> Table()
    {
        var t = new Dictionary<string, (int, int, Function)>(StringComparer.Ordinal);
        void Add(string name, int min, int max, Function body) => t[name] = (min, max, body);

        Add("len", 1, 1, (e, c, a) => a[0] switch
        {
            StringValue s => new IntValue(Encoding.UTF8.GetByteCount(s.Value)),
            BytesValue b => new IntValue(b.Value.Length),
            ListValue l => Count(e, l.Vertex, v => v.Elements.Count),
            StructValue s => Count(e, s.Vertex, v => v.Arcs.Count(x => !x.IsOptional && !x.IsHidden)),
            _ => Fail(c, $"len of {a[0].Describe()}"),
        });
        Add("div", 2, 2, (_, c, a) => IntOp(c, a, (x, y) => FloorDiv(x, y)));
        Add("mod", 2, 2, (_, c, a) => IntOp(c, a, (x, y) => x - (y * FloorDiv(x, y))));
        Add("quo", 2, 2, (_, c, a) => IntOp(c, a, (x, y) => x / y));
        Add("rem", 2, 2, (_, c, a) => IntOp(c, a, (x, y) => x % y));
        Add("and", 1, 1, (e, c, a) => Elements(e, c, a[0]) is { } items ? items.Aggregate((Value)TopValue.Instance, Unifier.Unify) : NotAList(c, a[0]));
        Add("or", 1, 1, (e, c, a) => Elements(e, c, a[0]) is { } items
            ? items.Count == 0 ? new BottomValue(BottomKind.Conflict, "empty disjunction (or of an empty list)") : items.Count == 1 ? items[0] : new DisjunctionValue([.. items.Select(v => new Alternative(v, false))])
            : NotAList(c, a[0]));

        // strings
        Add("strings.Contains", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new BoolValue(s.Contains(t, StringComparison.Ordinal))));
        Add("strings.ContainsAny", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new BoolValue(s.IndexOfAny(t.ToCharArray()) >= 0)));
        Add("strings.Count", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new IntValue(t.Length == 0 ? s.Length + 1 : (s.Length - s.Replace(t, "", StringComparison.Ordinal).Length) / t.Length)));
        Add("strings.HasPrefix", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new BoolValue(s.StartsWith(t, StringComparison.Ordinal))));
        Add("strings.HasSuffix", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new BoolValue(s.EndsWith(t, StringComparison.Ordinal))));
        Add("strings.Index", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new IntValue(ByteIndex(s, s.IndexOf(t, StringComparison.Ordinal)))));
        Add("strings.LastIndex", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new IntValue(ByteIndex(s, s.LastIndexOf(t, StringComparison.Ordinal)))));
        Add("strings.EqualFold", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new BoolValue(string.Equals(s, t, StringComparison.OrdinalIgnoreCase))));
        Add("strings.Compare", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new IntValue(Math.Sign(string.CompareOrdinal(s, t)))));
        Add("strings.Join", 2, 2, (e, c, a) => a[1] is StringValue sep && Strings(e, a[0]) is { } parts ? new StringValue(string.Join(sep.Value, parts)) : Fail(c, "strings.Join needs a list of strings and a string"));
        Add("strings.Split", 2, 2, (_, c, a) => Str2(c, a, (s, t) => StringList(t.Length == 0 ? s.Select(ch => ch.ToString()) : s.Split(t))));
        Add("strings.SplitN", 3, 3, (_, c, a) => a[2] is IntValue n ? Str2(c, a, (s, t) => n.Value == 0 ? StringList([]) : StringList(n.Value < 0 ? s.Split(t) : s.Split(t, (int)n.Value))) : Fail(c, "strings.SplitN needs an int count"));
        Add("strings.Fields", 1, 1, (_, c, a) => Str1(c, a, s => StringList(s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));
        Add("strings.Repeat", 2, 2, (_, c, a) => a is [StringValue s, IntValue n] && n.Value >= 0 && (long)s.Value.Length * n.Value <= 1 << 20
            ? new StringValue(string.Concat(Enumerable.Repeat(s.Value, (int)n.Value))) : Fail(c, "strings.Repeat needs a string and a small non-negative count"));
        Add("strings.Replace", 4, 4, (_, c, a) => a is [StringValue s, StringValue o, StringValue n, IntValue count] ? new StringValue(Replace(s.Value, o.Value, n.Value, count.Value)) : Fail(c, "strings.Replace needs (string, string, string, int)"));
        Add("strings.ToLower", 1, 1, (_, c, a) => Str1(c, a, s => new StringValue(s.ToLowerInvariant())));
        Add("strings.ToUpper", 1, 1, (_, c, a) => Str1(c, a, s => new StringValue(s.ToUpperInvariant())));
        Add("strings.ToTitle", 1, 1, (_, c, a) => Str1(c, a, s => new StringValue(Title(s))));
        Add("strings.Title", 1, 1, (_, c, a) => Str1(c, a, s => new StringValue(Title(s))));
        Add("strings.TrimSpace", 1, 1, (_, c, a) => Str1(c, a, s => new StringValue(s.Trim())));
        Add("strings.Trim", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new StringValue(s.Trim(t.ToCharArray()))));
        Add("strings.TrimLeft", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new StringValue(s.TrimStart(t.ToCharArray()))));
        Add("strings.TrimRight", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new StringValue(s.TrimEnd(t.ToCharArray()))));
        Add("strings.TrimPrefix", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new StringValue(t.Length > 0 && s.StartsWith(t, StringComparison.Ordinal) ? s[t.Length..] : s)));
        Add("strings.TrimSuffix", 2, 2, (_, c, a) => Str2(c, a, (s, t) => new StringValue(t.Length > 0 && s.EndsWith(t, StringComparison.Ordinal) ? s[..^t.Length] : s)));
        Add("strings.MinRunes", 2, 2, (_, c, a) => a is [StringValue s, IntValue n] ? new BoolValue(Runes(s.Value) >= n.Value) : Fail(c, "strings.MinRunes needs (string, int)"));
        Add("strings.MaxRunes", 2, 2, (_, c, a) => a is [StringValue s, IntValue n] ? new BoolValue(Runes(s.Value) <= n.Value) : Fail(c, "strings.MaxRunes needs (string, int)"));

        // strconv
        Add("strconv.Itoa", 1, 1, (_, c, a) => a[0] is IntValue i ? new StringValue(i.Value.ToString(CultureInfo.InvariantCulture)) : Fail(c, "strconv.Itoa needs an int"));
        Add("strconv.Atoi", 1, 1, (_, c, a) => Str1(c, a, s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? new IntValue(i) : Fail(c, $"strconv.Atoi: parsing {StringValue.Quote(s)}: invalid syntax")));
        Add("strconv.FormatInt", 2, 2, (_, c, a) => a is [IntValue i, IntValue b] && b.Value is >= 2 and <= 36 ? new StringValue(FormatInt(i.Value, (int)b.Value)) : Fail(c, "strconv.FormatInt needs an int and a base from 2 to 36"));
        Add("strconv.ParseInt", 3, 3, (_, c, a) => a is [StringValue s, IntValue b, IntValue] && ParseInt(s.Value, (int)b.Value) is { } i ? new IntValue(i) : Fail(c, $"strconv.ParseInt: parsing {a[0].Describe()}: invalid syntax"));
        Add("strconv.FormatBool", 1, 1, (_, c, a) => a[0] is BoolValue b ? new StringValue(b.Value ? "true" : "false") : Fail(c, "strconv.FormatBool needs a bool"));
        Add("strconv.ParseBool", 1, 1, (_, c, a) => Str1(c, a, s => s switch
        {
            "1" or "t" or "T" or "true" or "TRUE" or "True" => new BoolValue(true),
            "0" or "f" or "F" or "false" or "FALSE" or "False" => new BoolValue(false),
            _ => Fail(c, $"strconv.ParseBool: parsing {StringValue.Quote(s)}: invalid syntax"),
        }));
        Add("strconv.Quote", 1, 1, (_, c, a) => Str1(c, a, s => new StringValue(StringValue.Quote(s))));
        Add("strconv.Unquote", 1, 1, (_, c, a) => Str1(c, a, s => s.Length >= 2 && s[0] == '"' && s[^1] == '"' && Json.Unquote(s) is { } u ? new StringValue(u) : Fail(c, $"strconv.Unquote: invalid syntax in {StringValue.Quote(s)}")));

        // list
        Add("list.Concat", 1, 1, (e, c, a) => Elements(e, c, a[0]) is { } lists && lists.All(l => l is ListValue)
            ? MakeList(e, lists.SelectMany(l => Elements(e, c, l)!)) : Fail(c, "list.Concat needs a list of lists"));
        Add("list.FlattenN", 2, 2, (e, c, a) => a[1] is IntValue depth && Elements(e, c, a[0]) is { } items ? MakeList(e, Flatten(e, c, items, depth.Value)) : Fail(c, "list.FlattenN needs a list and an int"));
        Add("list.Contains", 2, 2, (e, c, a) => Elements(e, c, a[0]) is { } items ? new BoolValue(items.Any(v => Unifier.Equal(v, a[1]) || (v is IntValue or FloatValue && a[1] is IntValue or FloatValue && ToDouble(v) == ToDouble(a[1])))) : NotAList(c, a[0]));
        Add("list.Range", 3, 3, (e, c, a) => Range(e, c, a));
        Add("list.Repeat", 2, 2, (e, c, a) => a[1] is IntValue n && n.Value >= 0 && n.Value <= 10_000 && Elements(e, c, a[0]) is { } items ? MakeList(e, Enumerable.Repeat(items, (int)n.Value).SelectMany(x => x)) : Fail(c, "list.Repeat needs a list and a small non-negative count"));
        Add("list.Drop", 2, 2, (e, c, a) => a[1] is IntValue n && n.Value >= 0 && Elements(e, c, a[0]) is { } items ? MakeList(e, items.Skip((int)Math.Min(n.Value, int.MaxValue))) : Fail(c, "list.Drop needs a list and a non-negative int"));
        Add("list.Take", 2, 2, (e, c, a) => a[1] is IntValue n && n.Value >= 0 && Elements(e, c, a[0]) is { } items ? MakeList(e, items.Take((int)Math.Min(n.Value, int.MaxValue))) : Fail(c, "list.Take needs a list and a non-negative int"));
        Add("list.Slice", 3, 3, (e, c, a) => a is [_, IntValue i, IntValue j] && Elements(e, c, a[0]) is { } items && i.Value >= 0 && i.Value <= j.Value && j.Value <= items.Count
            ? MakeList(e, items.Skip((int)i.Value).Take((int)(j.Value - i.Value))) : Fail(c, "list.Slice: indices out of range"));
        Add("list.Sum", 1, 1, (e, c, a) => Numbers(e, c, a[0], xs => xs.Aggregate((Value)new IntValue(0), AddNumbers)));
        Add("list.Product", 1, 1, (e, c, a) => Numbers(e, c, a[0], xs => xs.Aggregate((Value)new IntValue(1), MultiplyNumbers)));
        Add("list.Max", 1, 1, (e, c, a) => Numbers(e, c, a[0], xs => xs.Count == 0 ? Fail(c, "list.Max: empty list") : xs.MaxBy(ToDouble)!));
        Add("list.Min", 1, 1, (e, c, a) => Numbers(e, c, a[0], xs => xs.Count == 0 ? Fail(c, "list.Min: empty list") : xs.MinBy(ToDouble)!));
        Add("list.Avg", 1, 1, (e, c, a) => Numbers(e, c, a[0], xs => xs.Count == 0 ? Fail(c, "list.Avg: empty list") : new FloatValue(xs.Average(ToDouble))));
        Add("list.SortStrings", 1, 1, (e, c, a) => Strings(e, a[0]) is { } parts ? StringList(parts.Order(StringComparer.Ordinal)) : Fail(c, "list.SortStrings needs a list of strings"));
        Add("list.UniqueItems", 1, 1, (e, c, a) => Elements(e, c, a[0]) is { } items ? new BoolValue(items.Select(JsonText).Distinct().Count() == items.Count) : NotAList(c, a[0]));
        Add("list.MinItems", 2, 2, (e, c, a) => a[1] is IntValue n && Elements(e, c, a[0]) is { } items ? new BoolValue(items.Count >= n.Value) : Fail(c, "list.MinItems needs a list and an int"));
        Add("list.MaxItems", 2, 2, (e, c, a) => a[1] is IntValue n && Elements(e, c, a[0]) is { } items ? new BoolValue(items.Count <= n.Value) : Fail(c, "list.MaxItems needs a list and an int"));

        // math
        Add("math.Floor", 1, 1, (_, c, a) => Num1(c, a, x => Integral(Math.Floor(x))));
        Add("math.Ceil", 1, 1, (_, c, a) => Num1(c, a, x => Integral(Math.Ceiling(x))));
        Add("math.Round", 1, 1, (_, c, a) => Num1(c, a, x => Integral(Math.Round(x, MidpointRounding.AwayFromZero))));
        Add("math.RoundToEven", 1, 1, (_, c, a) => Num1(c, a, x => Integral(Math.Round(x, MidpointRounding.ToEven))));
        Add("math.Trunc", 1, 1, (_, c, a) => Num1(c, a, x => Integral(Math.Truncate(x))));
        Add("math.Abs", 1, 1, (_, c, a) => a[0] is IntValue i && i.Value != long.MinValue ? new IntValue(Math.Abs(i.Value)) : Num1(c, a, x => new FloatValue(Math.Abs(x))));
        Add("math.Sqrt", 1, 1, (_, c, a) => Num1(c, a, x => x < 0 ? Fail(c, "math.Sqrt of a negative number") : Number(Math.Sqrt(x))));
        Add("math.Pow", 2, 2, (_, c, a) => IsNum(a[0]) && IsNum(a[1]) ? Number(Math.Pow(ToDouble(a[0]), ToDouble(a[1]))) : Fail(c, "math.Pow needs two numbers"));
        Add("math.Log", 1, 1, (_, c, a) => Num1(c, a, x => x <= 0 ? Fail(c, "math.Log of a non-positive number") : new FloatValue(Math.Log(x))));
        Add("math.Log10", 1, 1, (_, c, a) => Num1(c, a, x => x <= 0 ? Fail(c, "math.Log10 of a non-positive number") : Number(Math.Log10(x))));
        Add("math.Log2", 1, 1, (_, c, a) => Num1(c, a, x => x <= 0 ? Fail(c, "math.Log2 of a non-positive number") : Number(Math.Log2(x))));
        Add("math.Exp", 1, 1, (_, c, a) => Num1(c, a, x => new FloatValue(Math.Exp(x))));

        // regexp (the .NET engine; the patterns definitions use are the RE2 subset both accept)
        Add("regexp.Match", 2, 2, (_, c, a) => Str2(c, a, (pattern, s) => Evaluator.MatchesRegex(s, pattern, out var error) is var m && error is null ? new BoolValue(m) : Fail(c, error!)));
        Add("regexp.Valid", 1, 1, (_, c, a) => Str1(c, a, pattern => { Evaluator.MatchesRegex("", pattern, out var error); return new BoolValue(error is null); }));
        Add("regexp.Find", 2, 2, (_, c, a) => Str2(c, a, (pattern, s) => Regex(c, pattern, r => r.Match(s) is { Success: true } m ? new StringValue(m.Value) : Fail(c, "regexp.Find: no match"))));
        Add("regexp.FindAll", 3, 3, (_, c, a) => a[2] is IntValue n ? Str2(c, a, (pattern, s) => Regex(c, pattern, r => r.Matches(s).Select(m => m.Value).Take(n.Value < 0 ? int.MaxValue : (int)n.Value).ToList() is { Count: > 0 } all ? StringList(all) : Fail(c, "regexp.FindAll: no match"))) : Fail(c, "regexp.FindAll needs an int count"));
        Add("regexp.ReplaceAll", 3, 3, (_, c, a) => a is [StringValue p, StringValue s, StringValue repl] ? Regex(c, p.Value, r => new StringValue(r.Replace(s.Value, repl.Value))) : Fail(c, "regexp.ReplaceAll needs three strings"));
        Add("regexp.ReplaceAllLiteral", 3, 3, (_, c, a) => a is [StringValue p, StringValue s, StringValue repl] ? Regex(c, p.Value, r => new StringValue(r.Replace(s.Value, repl.Value.Replace("$", "$$", StringComparison.Ordinal)))) : Fail(c, "regexp.ReplaceAllLiteral needs three strings"));

        // encoding/json
        Add("encoding/json.Marshal", 1, 1, (e, c, a) => ToJson(e, c, a[0]) is var node && (node is not null || a[0] is NullValue) ? new StringValue(Json.Marshal(node)) : Fail(c, "json.Marshal: the value is not concrete"));
        Add("encoding/json.MarshalStream", 1, 1, (e, c, a) => Elements(e, c, a[0]) is { } items && items.Select(v => ToJson(e, c, v)).ToList() is var nodes && nodes.Select((n, i) => n is not null || items[i] is NullValue).All(ok => ok)
            ? new StringValue(string.Concat(nodes.Select(n => Json.Marshal(n) + "\n"))) : Fail(c, "json.MarshalStream needs a list of concrete values"));
        Add("encoding/json.Unmarshal", 1, 1, (e, c, a) => a[0] is StringValue or BytesValue ? FromJson(e, c, Text(a[0])) : Fail(c, "json.Unmarshal needs a string"));
        Add("encoding/json.Valid", 1, 1, (_, c, a) => a[0] is StringValue or BytesValue ? new BoolValue(Json.Valid(Text(a[0]))) : Fail(c, "json.Valid needs a string"));
        Add("encoding/json.Compact", 1, 1, (_, c, a) => a[0] is StringValue or BytesValue && Json.Valid(Text(a[0])) ? new StringValue(Json.Marshal(JsonNode.Parse(Text(a[0])))) : Fail(c, "json.Compact needs valid JSON"));
        Add("encoding/json.Indent", 3, 3, (_, c, a) => a is [StringValue or BytesValue, StringValue prefix, StringValue indent] && Json.Valid(Text(a[0]))
            ? new StringValue(Json.Indent(JsonNode.Parse(Text(a[0])), prefix.Value, indent.Value)) : Fail(c, "json.Indent needs valid JSON, a prefix and an indent"));

        // encoding/base64, encoding/hex, crypto/sha256
        Add("encoding/base64.Encode", 2, 2, (_, c, a) => a[0] is NullValue && a[1] is StringValue or BytesValue ? new StringValue(Convert.ToBase64String(Bytes(a[1]))) : Fail(c, "base64.Encode needs null and bytes or a string"));
        Add("encoding/base64.Decode", 2, 2, (_, c, a) => a is [NullValue, StringValue s] ? new BytesValue(Convert.FromBase64String(s.Value)) : Fail(c, "base64.Decode needs null and a string"));
        Add("encoding/base64.EncodedLen", 2, 2, (_, c, a) => a is [NullValue, IntValue n] ? new IntValue((n.Value + 2) / 3 * 4) : Fail(c, "base64.EncodedLen needs null and an int"));
        Add("encoding/base64.DecodedLen", 2, 2, (_, c, a) => a is [NullValue, IntValue n] ? new IntValue(n.Value / 4 * 3) : Fail(c, "base64.DecodedLen needs null and an int"));
        Add("encoding/hex.Encode", 1, 1, (_, c, a) => a[0] is StringValue or BytesValue ? new StringValue(Convert.ToHexStringLower(Bytes(a[0]))) : Fail(c, "hex.Encode needs bytes or a string"));
        Add("encoding/hex.Decode", 1, 1, (_, c, a) => a[0] is StringValue s ? new BytesValue(Convert.FromHexString(s.Value)) : Fail(c, "hex.Decode needs a string"));
        Add("crypto/sha256.Sum256", 1, 1, (_, c, a) => a[0] is StringValue or BytesValue ? new BytesValue(System.Security.Cryptography.SHA256.HashData(Bytes(a[0]))) : Fail(c, "sha256.Sum256 needs bytes or a string"));
        return t;
    }

    private static Value Count(Evaluator evaluator, Vertex v, Func<Vertex, int> count)
    {
        var result = evaluator.Evaluate(v);
        return result is BottomValue ? result : new IntValue(count(v));
    }

    /// <summary>The concrete elements of a list, or null when it is not a list (an element's error is returned as that element).</summary>
    private static List<Value>? Elements(Evaluator evaluator, CallExpr call, Value list)
    {
        if (list is not ListValue l || evaluator.Evaluate(l.Vertex) is BottomValue)
        {
            return null;
        }
        return [.. l.Vertex.Elements.ToList().Select(element => Unifier.Concrete(evaluator.Evaluate(element)))];
    }

    private static List<string>? Strings(Evaluator evaluator, Value list)
    {
        if (list is not ListValue l || evaluator.Evaluate(l.Vertex) is BottomValue)
        {
            return null;
        }
        var parts = new List<string>();
        foreach (var element in l.Vertex.Elements.ToList())
        {
            if (Unifier.Concrete(evaluator.Evaluate(element)) is not StringValue s)
            {
                return null;
            }
            parts.Add(s.Value);
        }
        return parts;
    }

    private static Value MakeList(Evaluator evaluator, IEnumerable<Value> items)
    {
        var all = items.ToList();
        if (all.FirstOrDefault(i => i is BottomValue) is { } bottom)
        {
            return bottom;
        }
        var list = new Vertex(null, "");
        list.Add(new Conjunct(new ListLit(Synthetic, [.. all.Select(v => (Node)new ValueLit(v))], null), null));
        return evaluator.Evaluate(list);
    }

    private static Value StringList(IEnumerable<string> items) =>
        new ListValue(ListVertex([.. items.Select(s => (Value)new StringValue(s))]));

    private static Vertex ListVertex(List<Value> items)
    {
        var list = new Vertex(null, "");
        list.Add(new Conjunct(new ListLit(Synthetic, [.. items.Select(v => (Node)new ValueLit(v))], null), null));
        return list;
    }

    private static IEnumerable<Value> Flatten(Evaluator evaluator, CallExpr call, List<Value> items, long depth)
    {
        foreach (var item in items)
        {
            if (depth != 0 && item is ListValue && Elements(evaluator, call, item) is { } inner)
            {
                foreach (var x in Flatten(evaluator, call, inner, depth - 1))
                {
                    yield return x;
                }
            }
            else
            {
                yield return item;
            }
        }
    }

    private static Value Range(Evaluator evaluator, CallExpr call, IReadOnlyList<Value> a)
    {
        if (a.Any(v => !IsNum(v)))
        {
            return Fail(call, "list.Range needs three numbers");
        }
        double start = ToDouble(a[0]), limit = ToDouble(a[1]), step = ToDouble(a[2]);
        if (step == 0)
        {
            return Fail(call, "list.Range: step must be non-zero");
        }
        var items = new List<Value>();
        var ints = a.All(v => v is IntValue);
        for (var x = start; step > 0 ? x < limit : x > limit; x += step)
        {
            if (items.Count >= 10_000)
            {
                return Fail(call, "list.Range: more than 10000 elements");
            }
            items.Add(ints ? new IntValue((long)x) : new FloatValue(x));
        }
        return MakeList(evaluator, items);
    }

    private static Value Numbers(Evaluator evaluator, CallExpr call, Value list, Func<List<Value>, Value> f) =>
        Elements(evaluator, call, list) is { } items && items.All(IsNum) ? f(items) : Fail(call, "needs a list of numbers");

    private static Value AddNumbers(Value x, Value y) => x is IntValue a && y is IntValue b ? new IntValue(checked(a.Value + b.Value)) : new FloatValue(ToDouble(x) + ToDouble(y));

    private static Value MultiplyNumbers(Value x, Value y) => x is IntValue a && y is IntValue b ? new IntValue(checked(a.Value * b.Value)) : new FloatValue(ToDouble(x) * ToDouble(y));

    private static Value IntOp(CallExpr call, IReadOnlyList<Value> a, Func<long, long, long> f) =>
        a is [IntValue x, IntValue y] ? y.Value == 0 ? Fail(call, "division by zero") : new IntValue(f(x.Value, y.Value)) : Fail(call, "needs two ints");

    /// <summary>Euclidean division, as CUE's div and mod.</summary>
    private static long FloorDiv(long x, long y)
    {
        var q = x / y;
        return x % y != 0 && x % y < 0 ? (y > 0 ? q - 1 : q + 1) : q;
    }

    private static Value Str1(CallExpr call, IReadOnlyList<Value> a, Func<string, Value> f) =>
        a[0] is StringValue s ? f(s.Value) : Fail(call, $"needs a string, got {a[0].Describe()}");

    private static Value Str2(CallExpr call, IReadOnlyList<Value> a, Func<string, string, Value> f) =>
        a[0] is StringValue s && a[1] is StringValue t ? f(s.Value, t.Value) : Fail(call, $"needs two strings, got {a[0].Describe()} and {a[1].Describe()}");

    private static Value Num1(CallExpr call, IReadOnlyList<Value> a, Func<double, Value> f) =>
        IsNum(a[0]) ? f(ToDouble(a[0])) : Fail(call, $"needs a number, got {a[0].Describe()}");

    private static Value Integral(double x) => x is >= long.MinValue and <= long.MaxValue ? new IntValue((long)x) : new FloatValue(x);

    private static Value Number(double x) => Math.Abs(x) < 9e15 && x == Math.Floor(x) ? new IntValue((long)x) : new FloatValue(x);

    private static double ToDouble(Value v) => v is IntValue i ? i.Value : ((FloatValue)v).Value;

    private static int ByteIndex(string s, int charIndex) => charIndex < 0 ? -1 : Encoding.UTF8.GetByteCount(s.AsSpan(0, charIndex));

    private static int Runes(string s) => s.EnumerateRunes().Count();

    private static string Title(string s)
    {
        var b = new StringBuilder(s.Length);
        var start = true;
        foreach (var ch in s)
        {
            b.Append(start ? char.ToUpperInvariant(ch) : ch);
            start = char.IsWhiteSpace(ch) || char.IsPunctuation(ch);
        }
        return b.ToString();
    }

    private static string Replace(string s, string old, string @new, long n)
    {
        if (n < 0)
        {
            return old.Length == 0 ? s : s.Replace(old, @new, StringComparison.Ordinal);
        }
        var b = new StringBuilder();
        var at = 0;
        for (var i = 0; i < n; i++)
        {
            var next = s.IndexOf(old, at, StringComparison.Ordinal);
            if (next < 0 || old.Length == 0)
            {
                break;
            }
            b.Append(s, at, next - at).Append(@new);
            at = next + old.Length;
        }
        return b.Append(s, at, s.Length - at).ToString();
    }

    private static string FormatInt(long value, int radix)
    {
        if (radix == 10)
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }
        var negative = value < 0;
        var magnitude = negative ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        var b = new StringBuilder();
        do
        {
            var d = (int)(magnitude % (ulong)radix);
            b.Insert(0, (char)(d < 10 ? '0' + d : 'a' + d - 10));
            magnitude /= (ulong)radix;
        }
        while (magnitude > 0);
        return negative ? "-" + b : b.ToString();
    }

    private static long? ParseInt(string s, int radix)
    {
        if (radix == 0)
        {
            radix = 10;
            var body = s.TrimStart('-', '+');
            if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) { radix = 16; s = s.Replace("0x", "", StringComparison.OrdinalIgnoreCase); }
            else if (body.StartsWith("0b", StringComparison.OrdinalIgnoreCase)) { radix = 2; s = s.Replace("0b", "", StringComparison.OrdinalIgnoreCase); }
            else if (body.StartsWith("0o", StringComparison.OrdinalIgnoreCase)) { radix = 8; s = s.Replace("0o", "", StringComparison.OrdinalIgnoreCase); }
        }
        if (radix is < 2 or > 36 || s.Length == 0)
        {
            return null;
        }
        var negative = s[0] == '-';
        var digits = s[0] is '-' or '+' ? s[1..] : s;
        if (digits.Length == 0)
        {
            return null;
        }
        long value = 0;
        try
        {
            foreach (var ch in digits.ToLowerInvariant())
            {
                var d = char.IsAsciiDigit(ch) ? ch - '0' : char.IsAsciiLetterLower(ch) ? ch - 'a' + 10 : 99;
                if (d >= radix)
                {
                    return null;
                }
                value = checked((value * radix) + d);
            }
        }
        catch (OverflowException)
        {
            return null;
        }
        return negative ? -value : value;
    }

    private static Value Regex(CallExpr call, string pattern, Func<System.Text.RegularExpressions.Regex, Value> f)
    {
        try
        {
            return f(new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100)));
        }
        catch (ArgumentException e)
        {
            return Fail(call, $"invalid regular expression: {e.Message}");
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return Fail(call, "regular expression timed out");
        }
    }

    private static byte[] Bytes(Value v) => v is BytesValue b ? b.Value : Encoding.UTF8.GetBytes(((StringValue)v).Value);

    private static string Text(Value v) => v is BytesValue b ? Encoding.UTF8.GetString(b.Value) : ((StringValue)v).Value;

    /// <summary>A concrete value as JSON (structs and lists exported as the exporter does), or null when it is not concrete.</summary>
    private static JsonNode? ToJson(Evaluator evaluator, CallExpr call, Value value)
    {
        var vertex = value switch
        {
            StructValue s => s.Vertex,
            ListValue l => l.Vertex,
            _ => null,
        };
        if (vertex is null)
        {
            return Exporter.Scalar(value, out var ok) is var scalar && ok ? scalar : null;
        }
        var node = new Exporter(evaluator).Export(vertex, out var failure);
        return failure is null ? node : null;
    }

    private static Value FromJson(Evaluator evaluator, CallExpr call, string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            return Fail(call, $"json.Unmarshal: invalid JSON: {e.Message}");
        }
        var vertex = new Vertex(null, "");
        vertex.Add(new Conjunct(JsonSyntax.ToExpr(node), null));
        return evaluator.Evaluate(vertex);
    }

    private static string JsonText(Value v) => v.Describe();

    private static BottomValue NotAList(CallExpr call, Value v) => Fail(call, $"needs a list, got {v.Describe()}");

    private static readonly SourcePosition Synthetic = new(0, 0);

    private static BottomValue Fail(CallExpr at, string message) => new(BottomKind.Invalid, $"{message} ({at.Pos})");

    private static bool IsNum(Value v) => v is IntValue or FloatValue;
}
