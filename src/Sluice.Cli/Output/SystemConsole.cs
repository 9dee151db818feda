namespace Sluice.Cli.Output;

internal sealed class SystemConsole : ICliConsole
{
    public TextWriter Out => Console.Out;

    public TextWriter Error => Console.Error;

    public TextReader In => Console.In;

    public bool OutIsTerminal => !Console.IsOutputRedirected;

    public int Width => !Console.IsOutputRedirected && Console.WindowWidth > 20 ? Console.WindowWidth : 100;

    public bool Color => !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
