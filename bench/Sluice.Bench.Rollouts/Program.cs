using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Bench.Rollouts;

// bench/rollouts: N applications rolled out at once by one controller process against the embedded plane and
// its simulator: reaction latency, API requests and writes per batch, controller CPU and memory, overhead over
// the simulated readiness waits, and the same run with the controller polling every rollout on a timer.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}
var log = Console.Error;
var run = new RolloutRun(options, log);
var watch = await run.RunAsync(pollInterval: null);
var poll = options.ComparePoll ? await run.RunAsync(options.PollInterval) : null;

const int MinWritesPerBatch = 2; // one workload write per batch per object, one status write
var criticalPath = options.ReadyDelay * options.Batches;
static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 2) : double.NaN;
double P(RunFigures f, double p) => Round(Reactions.Percentile(f.ReactionMs, p));
var result = new JsonObject
{
    ["rollouts"] = options.Rollouts,
    ["reaction_p50_ms"] = P(watch, 50),
    ["reaction_p95_ms"] = P(watch, 95),
    ["reaction_p99_ms"] = P(watch, 99),
    ["writes_per_batch"] = Round(watch.WritesPerBatch),
    ["progress_writes_per_batch"] = Round(watch.ProgressWritesPerBatch),
    ["min_writes_per_batch"] = MinWritesPerBatch,
    ["controller_cpu_s"] = Round(watch.ControllerCpuSeconds),
    ["controller_peak_mb"] = Round(watch.ControllerPeakMb),
    ["overhead_ratio"] = Round(watch.Wall / criticalPath),
    ["poll_mode_ratio"] = poll is null ? null : Round(poll.Wall / watch.Wall),
};
if (options.Json)
{
    Console.WriteLine(result.ToJsonString());
    return 0;
}

var perThousand = 1000.0 / options.Rollouts;
var table = new StringBuilder();
void Line(FormattableString text) => table.AppendLine(text.ToString(CultureInfo.InvariantCulture));
Line($"{options.Rollouts} rollouts x {options.Batches} batches of a {options.Replicas}-replica CloneSet; pods ready after {options.ReadyDelay.TotalMilliseconds} ms; controller --workers {options.Workers?.ToString(CultureInfo.InvariantCulture) ?? "(its default)"}");
Line($"");
Line($"{"",-44} {"watch",12} {(poll is null ? "" : $"poll {options.PollInterval.TotalSeconds}s"),12}");
void Row(string name, Func<RunFigures, string> value) =>
    Line($"{name,-44} {value(watch),12} {(poll is null ? "" : value(poll)),12}");
Row("wall time of the rollout phase (s)", f => f.Wall.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
Row("overhead ratio (wall / ready waits on path)", f => (f.Wall / criticalPath).ToString("F2", CultureInfo.InvariantCulture));
Row("reaction p50 (ms)", f => P(f, 50).ToString(CultureInfo.InvariantCulture));
Row("reaction p95 (ms)", f => P(f, 95).ToString(CultureInfo.InvariantCulture));
Row("reaction p99 (ms)", f => P(f, 99).ToString(CultureInfo.InvariantCulture));
Row("reaction samples", f => f.ReactionMs.Count.ToString(CultureInfo.InvariantCulture));
Row($"writes per batch (workload + rollout; min {MinWritesPerBatch})", f => f.WritesPerBatch.ToString("F2", CultureInfo.InvariantCulture));
Row("  of which pod-count progress (every 5 s)", f => f.ProgressWritesPerBatch.ToString("F2", CultureInfo.InvariantCulture));
Row("409 Conflict answers per rollout", f => ((double)f.Conflicts / options.Rollouts).ToString("F2", CultureInfo.InvariantCulture));
Row("all writes per batch (+ events, leases...)", f => f.AllWritesPerBatch.ToString("F2", CultureInfo.InvariantCulture));
Row("controller CPU s (rollout phase)", f => f.ControllerCpuSeconds.ToString("F2", CultureInfo.InvariantCulture));
Row("controller CPU s (whole process)", f => f.ControllerCpuSecondsTotal.ToString("F2", CultureInfo.InvariantCulture));
Row("controller CPU s per 1,000 rollouts", f => (f.ControllerCpuSeconds * perThousand).ToString("F2", CultureInfo.InvariantCulture));
Row("plane + simulator CPU s (rollout phase)", f => f.PlaneCpuSeconds.ToString("F2", CultureInfo.InvariantCulture));
Row("controller peak working set (MB)", f => f.ControllerPeakMb.ToString("F1", CultureInfo.InvariantCulture));
Row("controller peak MB per 1,000 rollouts", f => (f.ControllerPeakMb * perThousand).ToString("F1", CultureInfo.InvariantCulture));
Line($"");
Line($"API requests per rollout by verb, resource[/subresource] (rollout phase, all from the controller)");
var keys = watch.Requests.Keys.Concat(poll?.Requests.Keys ?? []).Distinct().OrderBy(k => k.Verb, StringComparer.Ordinal).ThenBy(k => k.Resource, StringComparer.Ordinal).ThenBy(k => k.Subresource, StringComparer.Ordinal);
foreach (var key in keys)
{
    var name = $"  {key.Verb} {key.Resource}{(key.Subresource.Length == 0 ? "" : "/" + key.Subresource)}";
    Row(name, f => ((double)f.Requests.GetValueOrDefault(key) / options.Rollouts).ToString("F2", CultureInfo.InvariantCulture));
}
if (poll is not null)
{
    Line($"");
    Line($"poll mode / watch mode wall time: {poll.Wall / watch.Wall:F2}");
}
Console.Write(table.ToString());
return 0;
