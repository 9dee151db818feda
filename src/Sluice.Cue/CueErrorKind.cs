namespace Sluice.Cue;

/// <summary>The classes of failure a template or a component's properties can produce.</summary>
public enum CueErrorKind
{
    /// <summary>The template text is not valid CUE (of the supported subset).</summary>
    Parse,
    /// <summary>A required parameter was not given.</summary>
    MissingParameter,
    /// <summary>A property names a parameter the definition does not declare.</summary>
    UndeclaredParameter,
    /// <summary>A value has the wrong type, for example a string where an int is declared.</summary>
    TypeMismatch,
    /// <summary>A value is not one of the alternatives of a disjunction.</summary>
    OutsideDisjunction,
    /// <summary>Two different values for one field.</summary>
    Conflict,
    /// <summary>The output still holds a type or an unresolved disjunction, not a concrete value.</summary>
    NotConcrete,
    /// <summary>Any other evaluation failure (undefined reference, bad operands, unsupported feature).</summary>
    Evaluation,
    /// <summary>Evaluation exceeded its depth or step budget.</summary>
    Limit,
}
