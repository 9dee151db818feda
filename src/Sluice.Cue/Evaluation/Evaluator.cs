using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Sluice.Cue.Syntax;

namespace Sluice.Cue.Evaluation;

/// <summary>
/// Evaluates conjuncts into vertices. Structs are unified field by field (a field declared in
/// several places gets all its conjuncts); references resolve lexically to the arcs of the
/// vertex a struct literal was unified into. Depth and steps are bounded.
/// </summary>
internal sealed class Evaluator(int maxSteps = Evaluator.DefaultMaxSteps)
{
    public const int DefaultMaxSteps = 200_000;
    public const int MaxDepth = 300;
    private const int MaxStringLength = 1 << 20;

    private readonly Dictionary<StructLit, Dictionary<string, Decl>> _declared = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<SourcePackage, Vertex> _packageRoots = new(ReferenceEqualityComparer.Instance);
    private int _steps;
    private int _depth;

    private void Step()
    {
        if (++_steps > maxSteps)
        {
            throw new EvalLimitException($"evaluation exceeded {maxSteps} steps");
        }
    }

    private void Enter()
    {
        Step();
        if (++_depth > MaxDepth)
        {
            throw new EvalLimitException($"evaluation nested deeper than {MaxDepth} levels");
        }
    }

    /// <summary>The evaluated top level of a CUE package, once per evaluation.</summary>
    private Vertex PackageRoot(SourcePackage package)
    {
        if (!_packageRoots.TryGetValue(package, out var root))
        {
            root = new Vertex(null, "") { IsRoot = true };
            var imports = new Dictionary<string, CuePackage>(StringComparer.Ordinal);
            foreach (var import in package.File.Imports)
            {
                if (StandardLibrary.Resolve(import.Path, CuePackages.None, out _) is { } resolved)
                {
                    imports[import.Name] = resolved;
                }
            }
            root.Add(new Conjunct(package.File.Root, Env.Push(null, new ImportFrame(imports))));
            _packageRoots[package] = root;
            Evaluate(root);
        }
        return root;
    }

    /// <summary>Evaluates a vertex: discovers its arcs or elements and computes its value.</summary>
    public Value Evaluate(Vertex v)
    {
        if (v.State == VertexState.Done)
        {
            return v.Result!;
        }
        if (v.State == VertexState.Evaluating)
        {
            return v.IsStruct ? new StructValue(v)
                : v.IsList ? new ListValue(v)
                : new BottomValue(BottomKind.Cycle, $"cycle in the value of {v.Path}");
        }
        Enter();
        try
        {
            v.State = VertexState.Evaluating;
            var next = 0;
            while (true)
            {
                if (next < v.Conjuncts.Count)
                {
                    Process(v, v.Conjuncts[next].Expr, v.Conjuncts[next].Env);
                    next++;
                }
                else if (v.Pending.Count > 0)
                {
                    v.Pending.Dequeue()();
                }
                else
                {
                    break;
                }
            }
            v.Result = Finish(v);
            v.State = VertexState.Done;
            return v.Result;
        }
        finally
        {
            _depth--;
        }
    }

    private Value Finish(Vertex v)
    {
        if (v.IsList)
        {
            FinishList(v);
        }
        if (v.IsStruct)
        {
            foreach (var arc in v.Arcs)
            {
                foreach (var (pattern, value) in v.Patterns)
                {
                    if (PatternMatches(pattern, arc.Label))
                    {
                        arc.Add(value);
                    }
                }
            }
        }
        if (v.Scalar is BottomValue)
        {
            return v.Scalar;
        }
        if (v.IsStruct && v.IsList)
        {
            return new BottomValue(BottomKind.TypeMismatch, "a list is not a struct", "a struct", "a list");
        }
        if (v.IsStruct || v.IsList)
        {
            if (v.Scalar is TopValue)
            {
                return v.IsStruct ? new StructValue(v) : new ListValue(v);
            }
            // A struct or list met a scalar or a basic type: a type error either way.
            var shape = v.IsStruct ? "a struct" : "a list";
            var isType = Unifier.IsType(v.Scalar) || (v.Scalar is DisjunctionValue d && d.Alternatives.Any(a => Unifier.IsType(a.Value)));
            return isType
                ? new BottomValue(BottomKind.TypeMismatch, $"{shape} is not of type {Unifier.UserType(v.Scalar)}", Unifier.UserType(v.Scalar), shape)
                : new BottomValue(BottomKind.TypeMismatch, $"{v.Scalar.Describe()} is not {shape}", shape, Unifier.UserType(v.Scalar));
        }
        return v.Scalar;
    }

    private void FinishList(Vertex v)
    {
        var length = v.ListParts.Count == 0 ? 0 : v.ListParts.Max(p => p.Count);
        var open = true;
        foreach (var (count, tail) in v.ListParts)
        {
            if (tail is null)
            {
                open = false;
                if (count != length)
                {
                    v.Scalar = Unifier.Unify(v.Scalar, new BottomValue(
                        BottomKind.Conflict, $"conflicting list lengths {count} and {length}", count.ToString(CultureInfo.InvariantCulture), length.ToString(CultureInfo.InvariantCulture)));
                }
                continue;
            }
            v.Tails.Add(tail);
            for (var i = count; i < length; i++)
            {
                v.Element(i).Add(tail);
            }
        }
        v.IsOpen = open;
    }

    private bool PatternMatches(Conjunct pattern, string label) => Eval(pattern.Expr, pattern.Env) switch
    {
        TypeValue t => t.Kinds.HasFlag(BasicKind.String),
        TopValue => true,
        StringValue s => s.Value == label,
        _ => false,
    };

    /// <summary>Adds one conjunct's contribution to a vertex.</summary>
    /// <param name="closes">False for an embedding (<c>{#B, c: 1}</c>): what it embeds does not close the struct.</param>
    public void Process(Vertex v, Expr expr, Env? env, bool closes = true)
    {
        Enter();
        try
        {
            switch (expr)
            {
                case StructLit lit:
                    ProcessStruct(v, lit, env);
                    break;
                case ListLit list:
                    ProcessList(v, list, env);
                    break;
                case BinaryExpr { Op: TokenKind.Amp } and:
                    Process(v, and.X, env, closes);
                    Process(v, and.Y, env, closes);
                    break;
                default:
                    AddValue(v, Eval(expr, env), closes);
                    break;
            }
        }
        finally
        {
            _depth--;
        }
    }

    private void ProcessStruct(Vertex v, StructLit lit, Env? env)
    {
        // A struct holding only embeddings ({ x * 2 }) is the value of what it embeds.
        if (lit.Decls.Count == 0 || !lit.Decls.All(d => d is EmbedDecl or LetDecl))
        {
            v.IsStruct = true;
        }
        var inner = Env.Push(env, new StructFrame(v, lit));
        foreach (var decl in lit.Decls)
        {
            switch (decl)
            {
                case Field field:
                    var hidden = field.IsIdentifier && (field.Label.StartsWith('_') || field.Label.StartsWith('#'));
                    var arc = v.GetOrAddArc(field.Label, field.Optional, hidden);
                    arc.Add(new Conjunct(field.Value, inner));
                    if (field.Comments.Count > 0)
                    {
                        arc.Comments.AddRange(field.Comments);
                    }
                    break;
                case PatternField pattern:
                    v.IsOpen = true;
                    v.Patterns.Add((new Conjunct(pattern.Pattern, inner), new Conjunct(pattern.Value, inner)));
                    break;
                case EllipsisDecl:
                    v.IsOpen = true;
                    break;
            }
        }
        foreach (var decl in lit.Decls)
        {
            switch (decl)
            {
                case Comprehension comprehension:
                    v.Pending.Enqueue(() => Expand(v, comprehension.Clauses, 0, inner, bodyEnv => Process(v, comprehension.Body, bodyEnv)));
                    break;
                case EmbedDecl embed:
                    v.Pending.Enqueue(() => Process(v, embed.Value, inner, closes: false));
                    break;
                case DynamicField dynamic:
                    v.Pending.Enqueue(() => AddDynamicField(v, dynamic, inner));
                    break;
            }
        }
    }

    private void AddDynamicField(Vertex v, DynamicField dynamic, Env inner)
    {
        switch (Unifier.Concrete(Eval(dynamic.Label, inner)))
        {
            case StringValue label:
                v.GetOrAddArc(label.Value, dynamic.Optional, false).Add(new Conjunct(dynamic.Value, inner));
                break;
            case BottomValue bottom:
                v.Scalar = Unifier.Unify(v.Scalar, bottom);
                break;
            case var other:
                v.Scalar = Unifier.Unify(v.Scalar, Invalid(dynamic, $"field label must be a string, found {other.Describe()}"));
                break;
        }
    }

    private void ProcessList(Vertex v, ListLit list, Env? env)
    {
        v.IsList = true;
        var count = 0;
        foreach (var element in list.Elements)
        {
            if (element is Comprehension comprehension)
            {
                Expand(v, comprehension.Clauses, 0, env, bodyEnv => v.Element(count++).Add(new Conjunct(comprehension.Body, bodyEnv)));
            }
            else
            {
                v.Element(count++).Add(new Conjunct((Expr)element, env));
            }
        }
        v.ListParts.Add((count, list.Tail is null ? null : new Conjunct(list.Tail, env)));
    }

    private void Expand(Vertex v, IReadOnlyList<Clause> clauses, int index, Env? env, Action<Env?> body)
    {
        Step();
        if (index == clauses.Count)
        {
            body(env);
            return;
        }
        switch (clauses[index])
        {
            case IfClause ifClause:
                switch (Unifier.Concrete(Eval(ifClause.Condition, env)))
                {
                    case BoolValue { Value: true }:
                        Expand(v, clauses, index + 1, env, body);
                        break;
                    case BoolValue:
                        break;
                    case BottomValue bottom:
                        v.Scalar = Unifier.Unify(v.Scalar, bottom);
                        break;
                    case var other:
                        v.Scalar = Unifier.Unify(v.Scalar, Invalid(ifClause.Condition, $"if condition must be a bool, found {other.Describe()}"));
                        break;
                }
                break;
            case LetClause let:
                var bound = Eval(let.Value, env);
                Expand(v, clauses, index + 1, Env.Push(env, new BindingFrame(new Dictionary<string, Value> { [let.Name] = bound })), body);
                break;
            case ForClause forClause:
                var source = Unifier.Concrete(Eval(forClause.Source, env));
                IEnumerable<(Value Key, Vertex Item)> items;
                switch (source)
                {
                    case StructValue s:
                        Evaluate(s.Vertex);
                        items = [.. s.Vertex.Arcs.Where(a => !a.IsOptional && !a.IsHidden).Select(a => ((Value)new StringValue(a.Label), a))];
                        break;
                    case ListValue l:
                        Evaluate(l.Vertex);
                        items = [.. l.Vertex.Elements.Select((e, i) => ((Value)new IntValue(i), e))];
                        break;
                    case BottomValue bottom:
                        v.Scalar = Unifier.Unify(v.Scalar, bottom);
                        return;
                    default:
                        v.Scalar = Unifier.Unify(v.Scalar, Invalid(forClause.Source, $"cannot range over {source.Describe()}"));
                        return;
                }
                foreach (var (key, item) in items)
                {
                    var values = new Dictionary<string, Value>(StringComparer.Ordinal) { [forClause.Value] = Evaluate(item) };
                    if (forClause.Key is not null)
                    {
                        values[forClause.Key] = key;
                    }
                    Expand(v, clauses, index + 1, Env.Push(env, new BindingFrame(values)), body);
                }
                break;
        }
    }

    private void AddValue(Vertex v, Value value, bool closes)
    {
        if (value is DisjunctionValue d && d.Alternatives.Any(a => a.Value is StructValue or ListValue))
        {
            value = d.Default() ?? new BottomValue(BottomKind.Invalid, "disjunctions of structs or lists need a default");
        }
        switch (value)
        {
            case StructValue { Vertex: var source }:
                CopyConjuncts(v, source);
                v.IsStruct = true;
                if (closes)
                {
                    // A definition (#X, or a field inside one) is closed, and so is what a closed value is copied into.
                    if (IsDefinition(source))
                    {
                        AddCloser(v, source);
                    }
                    foreach (var closer in source.Closers.ToList())
                    {
                        AddCloser(v, closer);
                    }
                }
                break;
            case ListValue { Vertex: var source }:
                CopyConjuncts(v, source);
                v.IsList = true;
                break;
            default:
                v.Scalar = Unifier.Unify(v.Scalar, value);
                break;
        }
    }

    private static bool IsDefinition(Vertex v)
    {
        for (var x = v; x is not null; x = x.Parent)
        {
            if (x.Label.StartsWith('#'))
            {
                return true;
            }
        }
        return false;
    }

    private static void AddCloser(Vertex v, Vertex closer)
    {
        if (!ReferenceEquals(v, closer) && !v.Closers.Contains(closer))
        {
            v.Closers.Add(closer);
        }
    }

    /// <summary>Whether a closed struct <paramref name="closer"/> allows a field <paramref name="label"/> (declared, open, or matched by a pattern).</summary>
    public bool Allows(Vertex closer, string label)
    {
        Evaluate(closer);
        return closer.IsOpen || closer.Arc(label) is not null || closer.Patterns.Any(p => PatternMatches(p.Pattern, label));
    }

    private void CopyConjuncts(Vertex v, Vertex source)
    {
        if (ReferenceEquals(source, v))
        {
            return;
        }
        if (source.IsAncestorOf(v))
        {
            v.Scalar = Unifier.Unify(v.Scalar, new BottomValue(BottomKind.Cycle, $"structural cycle: {v.Path} refers to its parent {source.Path}"));
            return;
        }
        foreach (var conjunct in source.Conjuncts.ToList())
        {
            Process(v, conjunct.Expr, conjunct.Env);
        }
    }

    private static BottomValue Invalid(Node at, string message) =>
        new(BottomKind.Invalid, $"{message} ({at.Pos})");

    /// <summary>Evaluates an expression to a value (structs and lists as vertices).</summary>
    public Value Eval(Expr expr, Env? env)
    {
        Enter();
        try
        {
            return EvalCore(expr, env);
        }
        finally
        {
            _depth--;
        }
    }

    private Value EvalCore(Expr expr, Env? env)
    {
        switch (expr)
        {
            case IntLit i:
                return new IntValue(i.Value);
            case FloatLit f:
                return new FloatValue(f.Value);
            case StringLit s:
                return new StringValue(s.Value);
            case BoolLit b:
                return new BoolValue(b.Value);
            case NullLit:
                return NullValue.Instance;
            case BottomLit:
                return new BottomValue(BottomKind.Explicit, "explicit error (_|_ literal)");
            case Interpolation interpolation:
                return Interpolate(interpolation, env);
            case Ident ident:
                return Lookup(ident, env);
            case StructLit or ListLit:
                var anonymous = new Vertex(null, "");
                anonymous.Add(new Conjunct(expr, env));
                return expr is StructLit ? new StructValue(anonymous) : new ListValue(anonymous);
            case SelectorExpr selector:
                return Select(Eval(selector.X, env), selector.Name, selector);
            case IndexExpr index:
                return Index(Eval(index.X, env), Unifier.Concrete(Eval(index.Index, env)), index);
            case UnaryExpr unary:
                return EvalUnary(unary, env);
            case BinaryExpr binary:
                return EvalBinary(binary, env);
            case CallExpr call:
                return Builtins.Call(this, call, env);
            case ValueLit literal:
                return literal.Value;
            default:
                return Invalid(expr, "unsupported expression");
        }
    }

    private Value Interpolate(Interpolation interpolation, Env? env)
    {
        var b = new StringBuilder();
        foreach (var part in interpolation.Parts)
        {
            if (part is string text)
            {
                b.Append(text);
                continue;
            }
            var value = Unifier.Concrete(Eval((Expr)part, env));
            switch (value)
            {
                case BottomValue:
                    return value;
                case StringValue s:
                    b.Append(s.Value);
                    break;
                case BytesValue bytes:
                    b.Append(Encoding.UTF8.GetString(bytes.Value));
                    break;
                case IntValue or FloatValue or BoolValue:
                    b.Append(value.Describe());
                    break;
                default:
                    return Invalid((Expr)part, $"cannot interpolate {value.Describe()}");
            }
            if (b.Length > MaxStringLength)
            {
                throw new EvalLimitException($"string longer than {MaxStringLength} characters");
            }
        }
        return new StringValue(b.ToString());
    }

    private Dictionary<string, Decl> Declared(StructLit lit)
    {
        if (!_declared.TryGetValue(lit, out var names))
        {
            names = new Dictionary<string, Decl>(StringComparer.Ordinal);
            foreach (var decl in lit.Decls)
            {
                switch (decl)
                {
                    case Field { IsIdentifier: true } field:
                        names.TryAdd(field.Label, field);
                        break;
                    case LetDecl let:
                        names.TryAdd(let.Name, let);
                        break;
                }
            }
            _declared[lit] = names;
        }
        return names;
    }

    private Value Lookup(Ident ident, Env? env)
    {
        for (var e = env; e is not null; e = e.Parent)
        {
            switch (e.Frame)
            {
                case StructFrame frame when Declared(frame.Literal).TryGetValue(ident.Name, out var decl):
                    if (decl is LetDecl let)
                    {
                        if (!frame.Lets.TryGetValue(let.Name, out var bound))
                        {
                            frame.Lets[let.Name] = new BottomValue(BottomKind.Cycle, $"cycle in let {let.Name}");
                            bound = Eval(let.Value, e);
                            frame.Lets[let.Name] = bound;
                        }
                        return bound;
                    }
                    if (frame.Vertex.State == VertexState.Unevaluated)
                    {
                        // The vertex was reset by a late conjunct: rediscover its arcs.
                        Evaluate(frame.Vertex);
                    }
                    var arc = frame.Vertex.Arc(ident.Name);
                    return arc is null
                        ? new BottomValue(BottomKind.Incomplete, $"field {ident.Name} is not yet defined")
                        : ArcValue(arc);
                case BindingFrame bindings when bindings.Values.TryGetValue(ident.Name, out var value):
                    return value;
                case StructFrame { Vertex: { IsRoot: true } root } when root.Arc(ident.Name) is { } injected:
                    return ArcValue(injected);
                case ImportFrame imports when imports.Packages.TryGetValue(ident.Name, out var package):
                    return new PackageValue(package);
            }
        }
        return ident.Name switch
        {
            "_" => TopValue.Instance,
            "string" => new TypeValue(BasicKind.String),
            "int" => new TypeValue(BasicKind.Int),
            "float" => new TypeValue(BasicKind.Float),
            "number" => new TypeValue(BasicKind.Number),
            "bool" => new TypeValue(BasicKind.Bool),
            "bytes" => new TypeValue(BasicKind.Bytes),
            _ => new BottomValue(BottomKind.Undefined, $"reference \"{ident.Name}\" not found ({ident.Pos})"),
        };
    }

    /// <summary>The value of a field used by a reference: an optional field that was not set is incomplete.</summary>
    private Value ArcValue(Vertex arc) =>
        arc.IsOptional
            ? new BottomValue(BottomKind.Incomplete, $"optional field {arc.Path} is not set")
            : Evaluate(arc);

    private Value Select(Value x, string name, Node at)
    {
        x = x is DisjunctionValue ? Unifier.Concrete(x) : x;
        switch (x)
        {
            case BottomValue:
                return x;
            case PackageValue { Package: SourcePackage source }:
                var root = PackageRoot(source);
                var member = root.Arc(name);
                return member is null
                    ? new BottomValue(BottomKind.Undefined, $"package \"{source.Path}\" has no {name} ({at.Pos})")
                    : Evaluate(member);
            case PackageValue { Package: BuiltinPackage builtin }:
                return Builtins.Constant(builtin.Path, name) ?? Invalid(at, $"{builtin.Path}.{name} is not a value of package {builtin.Path} (functions must be called)");
            case StructValue s:
                var result = Evaluate(s.Vertex);
                if (result is BottomValue)
                {
                    return result;
                }
                var arc = s.Vertex.Arc(name);
                return arc is null
                    ? new BottomValue(BottomKind.Undefined, $"undefined field: {name} ({at.Pos})")
                    : ArcValue(arc);
            default:
                return Invalid(at, $"cannot select field {name} of {x.Describe()}");
        }
    }

    private Value Index(Value x, Value index, Node at)
    {
        x = x is DisjunctionValue ? Unifier.Concrete(x) : x;
        switch (x, index)
        {
            case (BottomValue, _):
                return x;
            case (_, BottomValue):
                return index;
            case (StructValue, StringValue name):
                return Select(x, name.Value, at);
            case (ListValue l, IntValue i):
                var result = Evaluate(l.Vertex);
                if (result is BottomValue)
                {
                    return result;
                }
                return i.Value >= 0 && i.Value < l.Vertex.Elements.Count
                    ? Evaluate(l.Vertex.Elements[(int)i.Value])
                    : new BottomValue(BottomKind.Undefined, $"index {i.Value} out of range ({at.Pos})");
            default:
                return Invalid(at, $"cannot index {x.Describe()} with {index.Describe()}");
        }
    }

    private Value EvalUnary(UnaryExpr unary, Env? env)
    {
        if (unary.Op == TokenKind.Star)
        {
            // A default mark outside a disjunction has no effect.
            return Eval(unary.X, env);
        }
        var x = Unifier.Concrete(Eval(unary.X, env));
        return (unary.Op, x) switch
        {
            (_, BottomValue) => x,
            (TokenKind.Not, BoolValue b) => new BoolValue(!b.Value),
            (TokenKind.Minus, IntValue i) when i.Value != long.MinValue => new IntValue(-i.Value),
            (TokenKind.Minus, FloatValue f) => new FloatValue(-f.Value),
            (TokenKind.Plus, IntValue or FloatValue) => x,
            (TokenKind.Less or TokenKind.LessEq or TokenKind.Greater or TokenKind.GreaterEq, IntValue or FloatValue) =>
                new ConstraintValue(BasicKind.Number, [(unary.Op, x)]),
            (TokenKind.Less or TokenKind.LessEq or TokenKind.Greater or TokenKind.GreaterEq or TokenKind.Match or TokenKind.NotMatch, StringValue) =>
                new ConstraintValue(BasicKind.String, [(unary.Op, x)]),
            (TokenKind.NotEq, _) when x is not (StructValue or ListValue) =>
                new ConstraintValue(BasicKind.Null | BasicKind.Bool | BasicKind.Number | BasicKind.String | BasicKind.Bytes, [(unary.Op, x)]),
            _ => Invalid(unary, $"invalid operand {x.Describe()} for unary operator"),
        };
    }

    private Value EvalBinary(BinaryExpr binary, Env? env)
    {
        switch (binary.Op)
        {
            case TokenKind.Pipe:
                return Disjunction(binary, env);
            case TokenKind.Amp:
                var x = Eval(binary.X, env);
                var y = Eval(binary.Y, env);
                if (x is StructValue or ListValue || y is StructValue or ListValue)
                {
                    var merged = new Vertex(null, "");
                    merged.Add(new Conjunct(binary.X, env));
                    merged.Add(new Conjunct(binary.Y, env));
                    return Evaluate(merged);
                }
                return Unifier.Unify(x, y);
            case TokenKind.Eq or TokenKind.NotEq when binary.X is BottomLit || binary.Y is BottomLit:
                var other = binary.X is BottomLit ? binary.Y : binary.X;
                var isBottom = binary.X is BottomLit && binary.Y is BottomLit || Eval(other, env) is BottomValue;
                return new BoolValue(binary.Op == TokenKind.Eq ? isBottom : !isBottom);
            case TokenKind.AndAnd or TokenKind.OrOr:
                var left = Unifier.Concrete(Eval(binary.X, env));
                if (left is not BoolValue l)
                {
                    return left is BottomValue ? left : Invalid(binary, $"invalid operand {left.Describe()} for {Op(binary.Op)}");
                }
                if (l.Value == (binary.Op == TokenKind.OrOr))
                {
                    return l;
                }
                var right = Unifier.Concrete(Eval(binary.Y, env));
                return right is BoolValue or BottomValue ? right : Invalid(binary, $"invalid operand {right.Describe()} for {Op(binary.Op)}");
        }
        var a = Unifier.Concrete(Eval(binary.X, env));
        if (a is BottomValue)
        {
            return a;
        }
        var b = Unifier.Concrete(Eval(binary.Y, env));
        if (b is BottomValue)
        {
            return b;
        }
        return Arithmetic.Apply(binary, a, b);
    }

    internal static string Op(TokenKind op) => op switch
    {
        TokenKind.Not => "!",
        TokenKind.AndAnd => "&&",
        TokenKind.OrOr => "||",
        TokenKind.Plus => "+",
        TokenKind.Minus => "-",
        TokenKind.Star => "*",
        TokenKind.Slash => "/",
        TokenKind.Eq => "==",
        TokenKind.NotEq => "!=",
        TokenKind.Less => "<",
        TokenKind.LessEq => "<=",
        TokenKind.Greater => ">",
        TokenKind.GreaterEq => ">=",
        TokenKind.Match => "=~",
        TokenKind.NotMatch => "!~",
        _ => op.ToString(),
    };

    private Value Disjunction(BinaryExpr binary, Env? env)
    {
        var terms = new List<Expr>();
        Flatten(binary, terms);
        var alternatives = new List<Alternative>();
        foreach (var term in terms)
        {
            var isDefault = term is UnaryExpr { Op: TokenKind.Star };
            var value = Eval(isDefault ? ((UnaryExpr)term).X : term, env);
            if (value is BottomValue)
            {
                continue;
            }
            if (value is DisjunctionValue nested)
            {
                alternatives.AddRange(nested.Alternatives.Select(a => a with { IsDefault = a.IsDefault || isDefault }));
                continue;
            }
            if (!alternatives.Any(a => Unifier.Equal(a.Value, value) && a.IsDefault == isDefault))
            {
                alternatives.Add(new Alternative(value, isDefault));
            }
        }
        return alternatives.Count switch
        {
            0 => new BottomValue(BottomKind.Conflict, $"empty disjunction ({binary.Pos})"),
            1 => alternatives[0].Value,
            _ => new DisjunctionValue(alternatives),
        };
    }

    private static void Flatten(Expr e, List<Expr> terms)
    {
        if (e is BinaryExpr { Op: TokenKind.Pipe } b)
        {
            Flatten(b.X, terms);
            Flatten(b.Y, terms);
        }
        else
        {
            terms.Add(e);
        }
    }

    internal static bool MatchesRegex(string input, string pattern, out string? error)
    {
        try
        {
            error = null;
            return Regex.IsMatch(input, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            error = $"invalid regular expression: {e.Message}";
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            error = "regular expression timed out";
            return false;
        }
    }
}
