namespace Sluice.Cli.Output;

/// <summary>The output port: results on <see cref="Out"/>, people-text and diagnostics on <see cref="Error"/>.</summary>
internal interface ICliConsole
{
    TextWriter Out { get; }

    TextWriter Error { get; }

    TextReader In { get; }

    /// <summary>Colour is allowed: a terminal, and NO_COLOR is not set.</summary>
    bool Color { get; }

    /// <summary>Standard output is a terminal.</summary>
    bool OutIsTerminal { get; }

    /// <summary>Columns to draw in: the terminal's width, else 100.</summary>
    int Width => 100;

    /// <summary>Where people-text and progress go: stdout on a terminal, else stderr (stdout stays for data).</summary>
    TextWriter People => OutIsTerminal ? Out : Error;
}
