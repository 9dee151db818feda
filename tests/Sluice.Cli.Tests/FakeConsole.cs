using Sluice.Cli.Output;

namespace Sluice.Cli.Tests;

internal sealed class FakeConsole(string input = "") : ICliConsole
{
    private readonly StringWriter output = new() { NewLine = "\n" };
    private readonly StringWriter error = new() { NewLine = "\n" };

    public TextWriter Out => output;

    public TextWriter Error => error;

    public TextReader In { get; } = new StringReader(input);

    public bool Color => false;

    public bool OutIsTerminal => false;

    public string Stdout => output.ToString();

    public string Stderr => error.ToString();

    public static async Task<(int Code, FakeConsole Console)> RunWithInputAsync(string input, params string[] args)
    {
        var console = new FakeConsole(input);
        var code = await SluiceCli.RunAsync(args, console);
        return (code, console);
    }

    public static Task<(int Code, FakeConsole Console)> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);
}
