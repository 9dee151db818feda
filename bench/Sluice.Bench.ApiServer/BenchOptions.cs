using System.Globalization;

namespace Sluice.Bench.ApiServer;

/// <summary>Command line: <c>[--json] [--count N] [--size BYTES] [--concurrency C] [--watchers W] [--events E]</c>.</summary>
internal sealed record BenchOptions(bool Json, int Count, int Size, int Concurrency, int Watchers, int Events)
{
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
                _ => throw new ArgumentException($"unknown argument {args[i]}; usage: bench/apiserver [--json] [--count N] [--size BYTES] [--concurrency C] [--watchers W] [--events E]"),
            };
        }
        return options;
    }
}
