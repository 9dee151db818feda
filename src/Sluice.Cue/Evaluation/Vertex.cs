namespace Sluice.Cue.Evaluation;

/// <summary>
/// A node of the evaluated configuration: all conjuncts declared for one field, and once
/// evaluated, its arcs (struct fields), elements (list) or scalar value.
/// </summary>
internal sealed class Vertex(Vertex? parent, string label, bool isOptional = false, bool isHidden = false)
{
    private readonly Dictionary<string, Vertex> _arcMap = new(StringComparer.Ordinal);

    public Vertex? Parent { get; } = parent;

    public string Label { get; } = label;

    /// <summary>True while every declaration of this field is optional (<c>name?:</c>).</summary>
    public bool IsOptional { get; set; } = isOptional;

    /// <summary>Hidden fields (<c>_x</c>) and definitions (<c>#X</c>) are not exported.</summary>
    public bool IsHidden { get; } = isHidden;

    public List<Conjunct> Conjuncts { get; } = [];

    /// <summary>
    /// The file's root: names not declared in the template itself (such as <c>context</c>, which
    /// the renderer supplies) resolve to its arcs.
    /// </summary>
    public bool IsRoot { get; init; }

    public VertexState State { get; set; }

    public Value? Result { get; set; }

    public List<Vertex> Arcs { get; } = [];

    public bool IsStruct { get; set; }

    public bool IsList { get; set; }

    /// <summary>A struct with <c>...</c> or a pattern constraint, or a list whose every part has a tail.</summary>
    public bool IsOpen { get; set; }

    public List<Vertex> Elements { get; } = [];

    /// <summary>Element types after <c>...</c> of the list conjuncts.</summary>
    public List<Conjunct> Tails { get; } = [];

    public List<(int Count, Conjunct? Tail)> ListParts { get; } = [];

    public List<(Conjunct Pattern, Conjunct Value)> Patterns { get; } = [];

    public Value Scalar { get; set; } = TopValue.Instance;

    /// <summary>
    /// Work that waits until every conjunct's fields are declared: comprehensions, embeddings and dynamic
    /// fields, so that <c>if context.x</c> at the top level sees a <c>context</c> declared after it.
    /// </summary>
    public Queue<Action> Pending { get; } = new();

    /// <summary>The closed structs (definitions) this one was unified with: each must allow every field it has.</summary>
    public List<Vertex> Closers { get; } = [];

    /// <summary>Whole-line comments above the declarations of this field (for <c>// +patchKey=</c> annotations).</summary>
    public List<string> Comments { get; } = [];

    public string Path => Parent is null ? Label : Parent.IsList ? $"{Parent.Path}[{Label}]" : Parent.Path.Length == 0 ? Label : $"{Parent.Path}.{Label}";

    public Vertex? Arc(string name) => _arcMap.GetValueOrDefault(name);

    public Vertex GetOrAddArc(string name, bool optional, bool hidden)
    {
        if (_arcMap.TryGetValue(name, out var arc))
        {
            if (!optional)
            {
                arc.IsOptional = false;
            }
            return arc;
        }
        arc = new Vertex(this, name, optional, hidden);
        _arcMap[name] = arc;
        Arcs.Add(arc);
        return arc;
    }

    public Vertex Element(int index)
    {
        while (Elements.Count <= index)
        {
            Elements.Add(new Vertex(this, Elements.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return Elements[index];
    }

    /// <summary>Adds a conjunct; a vertex already evaluated is evaluated again from scratch.</summary>
    public void Add(Conjunct conjunct)
    {
        Conjuncts.Add(conjunct);
        if (State == VertexState.Done)
        {
            Reset();
        }
    }

    private void Reset()
    {
        State = VertexState.Unevaluated;
        Result = null;
        Arcs.Clear();
        _arcMap.Clear();
        Elements.Clear();
        Tails.Clear();
        ListParts.Clear();
        Patterns.Clear();
        Pending.Clear();
        Closers.Clear();
        IsStruct = false;
        IsList = false;
        IsOpen = false;
        Scalar = TopValue.Instance;
    }

    public bool IsAncestorOf(Vertex other)
    {
        for (var v = other.Parent; v is not null; v = v.Parent)
        {
            if (ReferenceEquals(v, this))
            {
                return true;
            }
        }
        return false;
    }
}
