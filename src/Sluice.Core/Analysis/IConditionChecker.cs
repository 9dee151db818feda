namespace Sluice.Core.Analysis;

/// <summary>
/// The condition language's compiler, as a port: Core checks metrics without knowing CEL (the implementation,
/// over the Cel package, is <c>Sluice.Controllers.Analysis.CelConditions</c>).
/// </summary>
public interface IConditionChecker
{
    /// <summary>Null when <paramref name="expression"/> compiles; otherwise the parse error.</summary>
    string? Check(string expression);
}
