namespace Sluice.Cli;

/// <summary>The exit codes of every verb, documented in docs/user-guide.md.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Wrong arguments: a usage line on stderr.</summary>
    public const int Usage = 1;

    /// <summary>The input was read but is invalid (an invalid plan, a manifest that does not fit).</summary>
    public const int Invalid = 2;

    /// <summary>Could not start: for example another control plane holds the data directory.</summary>
    public const int Unavailable = 3;
}
