using System.Globalization;
using Sluice.Simulator;

namespace Sluice.Bench.Rollouts;

/// <summary>
/// Command line: <c>--sluice DLL [--json] [--rollouts N] [--replicas R] [--batches B] [--ready-delay 200ms]
/// [--workers W] [--poll-interval 5s] [--no-poll]</c>.
/// </summary>
internal sealed record BenchOptions(string SluiceDll, bool Json, int Rollouts, int Replicas, int Batches, TimeSpan ReadyDelay,
    int? Workers, TimeSpan PollInterval, bool ComparePoll, TimeSpan Timeout)
{
    public const string Usage = "usage: bench/rollouts [--json] [--rollouts N] [--replicas R] [--batches B] [--ready-delay 200ms] [--workers W] [--poll-interval 5s] [--no-poll] [--timeout 30m]";

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions("", false, 100, 2, 2, TimeSpan.FromMilliseconds(200), null, TimeSpan.FromSeconds(5), true, TimeSpan.FromMinutes(30));
        for (var i = 0; i < args.Length; i++)
        {
            string Text() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value; {Usage}");
            int Next() => int.Parse(Text(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--sluice" => options with { SluiceDll = Text() },
                "--json" => options with { Json = true },
                "--rollouts" => options with { Rollouts = Next() },
                "--replicas" => options with { Replicas = Next() },
                "--batches" => options with { Batches = Next() },
                "--ready-delay" => options with { ReadyDelay = DurationText.Parse(Text()) },
                "--workers" => options with { Workers = Next() },
                "--poll-interval" => options with { PollInterval = DurationText.Parse(Text()) },
                "--no-poll" => options with { ComparePoll = false },
                "--timeout" => options with { Timeout = DurationText.Parse(Text()) },
                _ => throw new ArgumentException($"unknown argument {args[i]}; {Usage}"),
            };
        }
        if (options.SluiceDll.Length == 0 || !File.Exists(options.SluiceDll))
        {
            throw new ArgumentException($"--sluice must name the built sluice.dll (bench/rollouts passes it); got \"{options.SluiceDll}\"");
        }
        if (options.Rollouts < 1 || options.Batches < 1 || options.Replicas < options.Batches)
        {
            throw new ArgumentException("need --rollouts >= 1, --batches >= 1 and --replicas >= --batches");
        }
        return options;
    }
}
