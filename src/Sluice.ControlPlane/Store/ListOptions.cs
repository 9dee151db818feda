namespace Sluice.ControlPlane.Store;

/// <summary>
/// A list's paging and consistency options, as the API takes them: <c>limit</c> and <c>continue</c> (chunks), and
/// <c>resourceVersion</c> with <c>resourceVersionMatch</c> (NotOlderThan, the default when a version is given, or Exact).
/// </summary>
public sealed record ListOptions(long Limit = 0, string? Continue = null, string? ResourceVersion = null, string? ResourceVersionMatch = null)
{
    public static ListOptions Default { get; } = new();
}
