namespace Sluice.Cue;

/// <summary>Either a value or a <see cref="CueError"/>; the public API never throws for bad input.</summary>
public sealed class CueResult<T>
{
    private readonly T? _value;

    private CueResult(T? value, CueError? error)
    {
        _value = value;
        Error = error;
    }

    public static CueResult<T> Ok(T value) => new(value, null);

    public static CueResult<T> Fail(CueError error) => new(default, error);

    public bool IsSuccess => Error is null;

    /// <summary>The error, or null on success.</summary>
    public CueError? Error { get; }

    /// <summary>The value; throws <see cref="InvalidOperationException"/> when this is an error.</summary>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: {Error!.Message}");

    public TOut Match<TOut>(Func<T, TOut> ok, Func<CueError, TOut> fail) => IsSuccess ? ok(_value!) : fail(Error!);

    public override string ToString() => IsSuccess ? $"Ok({_value})" : $"Fail({Error!.Message})";
}
