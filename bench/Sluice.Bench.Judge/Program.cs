using System.Globalization;
using Sluice.Core.Tests.Analysis.Judge;

// bench/judge [--trials N] [--seed S]: for every scenario of JudgeScenarios, the share of seeded trials the judge
// fails: the false-positive rate where target and source are drawn alike, the detection rate where the target regressed.
var trials = 1000;
var seed = 20260101;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--trials")
    {
        trials = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--seed")
    {
        seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"judge: Mann-Whitney U / Hodges-Lehmann, {JudgeScenarios.Samples} samples a side, {JudgeScenarios.TargetRequests} target and {JudgeScenarios.SourceRequests} source requests a sample, {trials} trials per scenario from seed {seed}"));
Report("false positives (identical distributions)", JudgeScenarios.Identical, 0);
Report("false positives (no regression, a canary's 10/90 split, tolerance 10%)", JudgeScenarios.Healthy, 50);
Report("detection (a real regression)", JudgeScenarios.Regressions, 100);

void Report(string title, IReadOnlyList<JudgeScenarios.Scenario> scenarios, int seedOffset)
{
    Console.WriteLine(title);
    for (var i = 0; i < scenarios.Count; i++)
    {
        var rate = JudgeScenarios.FlaggedRate(scenarios[i], trials, seed + seedOffset + i);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {scenarios[i].Name,-40} flagged {rate * 100,6:0.0}%"));
    }
}
