using System.Globalization;

namespace Sluice.Bench.ApiServer;

/// <summary>Command line: <c>[--json] [--count N] [--size BYTES] [--concurrency C] [--watchers W] [--events E]</c>.</summary>
internal sealed record BenchOptions(bool Json, int Count, int Size, int Concurrency, int Watchers, int Events, string? ClientOf = null)
{
    /// <summary>The same options as arguments (what the parent passes to its client process).</summary>
    public IEnumerable<string> ToArgs() =>
    [
        "--count", Count.ToString(CultureInfo.InvariantCulture), "--size", Size.ToString(CultureInfo.InvariantCulture),
        "--concurrency", Concurrency.ToString(CultureInfo.InvariantCulture), "--watchers", Watchers.ToString(CultureInfo.InvariantCulture),
        "--events", Events.ToString(CultureInfo.InvariantCulture),
    ];

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(false, 2000, 1024, 16, 100, 200);
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--json" => options with { Json = true },
                "--count" => options with { Count = Next() },
                "--size" => options with { Size = Next() },
                "--concurrency" => options with { Concurrency = Next() },
                "--watchers" => options with { Watchers = Next() },
                "--events" => options with { Events = Next() },
                "--client" => options with { ClientOf = args[++i] },
                _ => throw new ArgumentException($"unknown argument {args[i]}; usage: bench/apiserver [--json] [--count N] [--size BYTES] [--concurrency C] [--watchers W] [--events E]"),
            };
        }
        return options;
    }
}
