namespace Sluice.Cue.Evaluation;

/// <summary>Unification (<c>&amp;</c>) of scalar values, basic types and disjunctions.</summary>
internal static class Unifier
{
    public static Value Unify(Value a, Value b)
    {
        switch (a, b)
        {
            case (BottomValue, _):
                return a;
            case (_, BottomValue):
                return b;
            case (TopValue, _):
                return b;
            case (_, TopValue):
                return a;
            case (DisjunctionValue da, DisjunctionValue db):
                return UnifyDisjunctions(da, db);
            case (DisjunctionValue d, _):
                return UnifyDisjunction(d, b);
            case (_, DisjunctionValue d):
                return UnifyDisjunction(d, a);
            case (ConstraintValue ca, ConstraintValue cb):
                return Narrow(ca, cb.Kinds, cb.Bounds);
            case (ConstraintValue c, TypeValue t):
                return Narrow(c, t.Kinds, []);
            case (TypeValue t, ConstraintValue c):
                return Narrow(c, t.Kinds, []);
            case (ConstraintValue c, _):
                return CheckBounds(c, b);
            case (_, ConstraintValue c):
                return CheckBounds(c, a);
            case (TypeValue ta, TypeValue tb):
                var kinds = ta.Kinds & tb.Kinds;
                return kinds == BasicKind.None
                    ? new BottomValue(BottomKind.TypeMismatch, $"conflicting types {ta.Describe()} and {tb.Describe()}", ta.Describe(), tb.Describe())
                    : new TypeValue(kinds);
            case (TypeValue t, _):
                return CheckKind(t, b);
            case (_, TypeValue t):
                return CheckKind(t, a);
            case (StructValue or ListValue, _) or (_, StructValue or ListValue):
                return new BottomValue(BottomKind.Invalid, "structs and lists are unified by the evaluator");
            default:
                return Equal(a, b)
                    ? a
                    : new BottomValue(BottomKind.Conflict, $"conflicting values {a.Describe()} and {b.Describe()}", a.Describe(), b.Describe());
        }
    }

    private static Value Narrow(ConstraintValue c, BasicKind kinds, IReadOnlyList<(Syntax.TokenKind Op, Value Limit)> bounds)
    {
        var narrowed = c.Kinds & kinds;
        return narrowed == BasicKind.None
            ? new BottomValue(BottomKind.TypeMismatch, $"conflicting types {c.Describe()} and {new TypeValue(kinds).Describe()}", c.Describe(), new TypeValue(kinds).Describe())
            : new ConstraintValue(narrowed, [.. c.Bounds, .. bounds]);
    }

    private static Value CheckBounds(ConstraintValue c, Value atom)
    {
        if ((KindOf(atom) & c.Kinds) == BasicKind.None || atom is StructValue or ListValue)
        {
            return new BottomValue(BottomKind.TypeMismatch, $"{atom.Describe()} is not of type {c.Describe()}", c.Describe(), atom.Describe());
        }
        foreach (var (op, limit) in c.Bounds)
        {
            if (!Bounds.Satisfies(op, atom, limit))
            {
                return new BottomValue(BottomKind.TypeMismatch, $"{atom.Describe()} is not {c.Describe()}", c.Describe(), atom.Describe());
            }
        }
        return atom;
    }

    public static BasicKind KindOf(Value v) => v switch
    {
        ConstraintValue c => c.Kinds,
        NullValue => BasicKind.Null,
        BoolValue => BasicKind.Bool,
        IntValue => BasicKind.Int,
        FloatValue => BasicKind.Float,
        StringValue => BasicKind.String,
        BytesValue => BasicKind.Bytes,
        TypeValue t => t.Kinds,
        _ => BasicKind.None,
    };

    private static Value CheckKind(TypeValue type, Value atom) =>
        (KindOf(atom) & type.Kinds) != BasicKind.None && atom is not (StructValue or ListValue)
            ? atom
            : new BottomValue(BottomKind.TypeMismatch, $"{atom.Describe()} is not of type {type.Describe()}", type.Describe(), atom.Describe());

    public static bool Equal(Value a, Value b) => (a, b) switch
    {
        (NullValue, NullValue) => true,
        (BoolValue x, BoolValue y) => x.Value == y.Value,
        (IntValue x, IntValue y) => x.Value == y.Value,
        (FloatValue x, FloatValue y) => x.Value.Equals(y.Value),
        (StringValue x, StringValue y) => string.Equals(x.Value, y.Value, StringComparison.Ordinal),
        (BytesValue x, BytesValue y) => x.Value.AsSpan().SequenceEqual(y.Value),
        (TypeValue x, TypeValue y) => x.Kinds == y.Kinds,
        _ => false,
    };

    private static Value UnifyDisjunction(DisjunctionValue d, Value x)
    {
        var results = new List<Alternative>();
        foreach (var alt in d.Alternatives)
        {
            var r = Unify(alt.Value, x);
            if (r is not BottomValue)
            {
                Add(results, new Alternative(r, alt.IsDefault));
            }
        }
        if (results.Count == 0)
        {
            var expected = UserType(d);
            var kind = d.Alternatives.Any(a => IsType(a.Value)) ? BottomKind.TypeMismatch : BottomKind.OutsideDisjunction;
            var message = kind == BottomKind.TypeMismatch
                ? $"{x.Describe()} is not of type {expected}"
                : $"{x.Describe()} is not one of {expected}";
            return new BottomValue(kind, message, expected, x.Describe());
        }
        return Normalize(results);
    }

    private static Value UnifyDisjunctions(DisjunctionValue a, DisjunctionValue b)
    {
        var aHasDefault = a.Alternatives.Any(x => x.IsDefault);
        var bHasDefault = b.Alternatives.Any(x => x.IsDefault);
        var results = new List<Alternative>();
        foreach (var x in a.Alternatives)
        {
            foreach (var y in b.Alternatives)
            {
                var r = Unify(x.Value, y.Value);
                if (r is not BottomValue)
                {
                    Add(results, new Alternative(r, (x.IsDefault || !aHasDefault) && (y.IsDefault || !bHasDefault)));
                }
            }
        }
        if (results.Count == 0)
        {
            return new BottomValue(BottomKind.OutsideDisjunction, $"{b.Describe()} is not one of {UserType(a)}", UserType(a), UserType(b));
        }
        if (!aHasDefault && !bHasDefault)
        {
            results = [.. results.Select(r => r with { IsDefault = false })];
        }
        return Normalize(results);
    }

    private static void Add(List<Alternative> results, Alternative alternative)
    {
        var index = results.FindIndex(r => Equal(r.Value, alternative.Value));
        if (index < 0)
        {
            results.Add(alternative);
        }
        else if (alternative.IsDefault)
        {
            results[index] = alternative;
        }
    }

    private static Value Normalize(List<Alternative> results) =>
        results.Count == 1 ? results[0].Value : new DisjunctionValue(results);

    /// <summary>
    /// A type as a user reads it: the alternatives without default marks, leaving out literals
    /// that a type alternative already admits (<c>*80 | int</c> reads <c>int</c>).
    /// </summary>
    public static string UserType(Value v)
    {
        if (v is not DisjunctionValue d)
        {
            return v.Describe();
        }
        var types = d.Alternatives.Select(a => a.Value).Where(IsType).Aggregate(BasicKind.None, (k, t) => k | KindOf(t));
        return string.Join(" | ", d.Alternatives
            .Where(a => IsType(a.Value) || (KindOf(a.Value) & types) == BasicKind.None)
            .Select(a => a.Value.Describe()));
    }

    /// <summary>A basic type, possibly narrowed by bounds (not a concrete value).</summary>
    public static bool IsType(Value v) => v is TypeValue or ConstraintValue;

    /// <summary>The concrete form of a value: a disjunction's default, or an incomplete error.</summary>
    public static Value Concrete(Value v) => v switch
    {
        DisjunctionValue d => d.Default() is { } def
            ? Concrete(def)
            : new BottomValue(BottomKind.Incomplete, $"unresolved disjunction {d.Describe()}", d.Describe()),
        TypeValue or TopValue or ConstraintValue => new BottomValue(BottomKind.Incomplete, $"incomplete value {v.Describe()}", v.Describe()),
        _ => v,
    };
}
