namespace Sluice.Cue.Evaluation;

/// <summary>Why a value is bottom (<c>_|_</c>); decides the class of the user-facing error.</summary>
internal enum BottomKind
{
    Explicit,
    Conflict,
    TypeMismatch,
    OutsideDisjunction,
    Incomplete,
    Undefined,
    Cycle,
    Invalid,
    Limit,
}
