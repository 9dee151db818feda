using Sluice.Cue.Syntax;

namespace Sluice.Cue.Evaluation;

/// <summary>A lexical scope: a chain of frames, innermost first.</summary>
internal sealed class Env(Env? parent, Frame frame)
{
    public Env? Parent { get; } = parent;

    public Frame Frame { get; } = frame;

    public static Env Push(Env? parent, Frame frame) => new(parent, frame);
}

internal abstract class Frame;

/// <summary>The scope of a struct literal: its fields resolve to the arcs of the vertex it was unified into.</summary>
internal sealed class StructFrame(Vertex vertex, StructLit literal) : Frame
{
    public Vertex Vertex { get; } = vertex;

    public StructLit Literal { get; } = literal;

    public Dictionary<string, Value> Lets { get; } = new(StringComparer.Ordinal);
}

/// <summary>Names bound by <c>for</c> and <c>let</c> clauses.</summary>
internal sealed class BindingFrame(IReadOnlyDictionary<string, Value> values) : Frame
{
    public IReadOnlyDictionary<string, Value> Values { get; } = values;
}

/// <summary>The packages a file imports, by the name it uses for each; the outermost frame of its declarations.</summary>
internal sealed class ImportFrame(IReadOnlyDictionary<string, CuePackage> packages) : Frame
{
    public IReadOnlyDictionary<string, CuePackage> Packages { get; } = packages;
}
