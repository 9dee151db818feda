using System.Globalization;
using Sluice.Simulator;

namespace Sluice.Bench.Soak;

/// <summary>Command line: <c>--sluice DLL [--json] [--rollouts N] [--seed S] [--fault-every 4s] [--timeout 20m]</c>.</summary>
internal sealed record SoakOptions(string SluiceDll, bool Json, int Rollouts, int Seed, TimeSpan FaultEvery, TimeSpan Timeout)
{
    public const string Usage = "usage: bench/soak [--json] [--rollouts N] [--seed S] [--fault-every 4s] [--timeout 20m]";

    public static SoakOptions Parse(string[] args)
    {
        var options = new SoakOptions("", false, 200, 1, TimeSpan.FromSeconds(4), TimeSpan.FromMinutes(20));
        for (var i = 0; i < args.Length; i++)
        {
            string Text() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value; {Usage}");
            options = args[i] switch
            {
                "--sluice" => options with { SluiceDll = Text() },
                "--json" => options with { Json = true },
                "--rollouts" => options with { Rollouts = int.Parse(Text(), CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(Text(), CultureInfo.InvariantCulture) },
                "--fault-every" => options with { FaultEvery = DurationText.Parse(Text()) },
                "--timeout" => options with { Timeout = DurationText.Parse(Text()) },
                _ => throw new ArgumentException($"unknown argument {args[i]}; {Usage}"),
            };
        }
        if (options.SluiceDll.Length == 0 || !File.Exists(options.SluiceDll))
        {
            throw new ArgumentException($"--sluice must name the built sluice.dll (bench/soak passes it); got \"{options.SluiceDll}\"");
        }
        return options.Rollouts < 1 ? throw new ArgumentException("--rollouts must be 1 or more") : options;
    }
}
