using Sluice.Cue.Syntax;

namespace Sluice.Cue.Evaluation;

/// <summary>A package a template imports: one of CUE's standard packages (functions) or CUE source (a kube package).</summary>
internal abstract class CuePackage(string path)
{
    public string Path { get; } = path;
}

/// <summary>A standard package whose functions <see cref="Builtins"/> implements, by <c>path.Name</c>.</summary>
internal sealed class BuiltinPackage(string path) : CuePackage(path);

/// <summary>A package written in CUE, evaluated once per evaluation (its definitions, such as <c>#Deployment</c>).</summary>
internal sealed class SourcePackage(string path, CueFile file) : CuePackage(path)
{
    public CueFile File { get; } = file;
}
