using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Bench.Soak;

// bench/soak: rollouts of every workload kind upgraded while faults are injected at random (controller SIGKILLed
// and restarted, API server stopped and restarted on the same data directory, a competing writer causing 409s,
// webhooks that fail or hang, pods that never become ready); prints the faults, the terminal states against the
// expected ones, and the invariant violations found in the committed history. Exits 1 when anything is wrong.
SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}
var log = Console.Error;
var dataDir = Path.Combine(Path.GetTempPath(), "sluice-soak-" + Guid.NewGuid().ToString("N"));
var scenarios = Enumerable.Range(0, options.Rollouts).Select(Scenario.For).ToList();
var faults = new SortedDictionary<string, int>(StringComparer.Ordinal)
{
    ["controller_killed"] = 0, ["apiserver_restarted"] = 0, ["competing_writes"] = 0, ["conflicts_409"] = 0,
    ["webhook_failing"] = scenarios.Count(s => s.Trouble == Trouble.WebhookFails),
    ["webhook_hanging"] = scenarios.Count(s => s.Trouble == Trouble.WebhookHangsOnce),
    ["pods_never_ready"] = scenarios.Count(s => s.Trouble == Trouble.PodsNeverReady),
};
var lostWrites = 0;
var wrong = new List<string>();
InvariantReport? report = null;
var states = new SortedDictionary<string, int>(StringComparer.Ordinal);
var clock = Stopwatch.StartNew();
SoakSystem? current = null;
using var receiver = new WebhookReceiver();
await using (var system = new SoakSystem(options, dataDir, log))
{
    await system.StartAsync();
    current = system;
    await log.WriteLineAsync($"soak: {scenarios.Count} applications of clonesetservice/statefulservice/webservice/daemon rolled out to v1");
    foreach (var s in scenarios)
    {
        system.Store.Create(SoakSystem.Applications, "default", s.Application(v2: false));
    }
    await WaitUntilAsync(() => system.Store.List(SoakSystem.Revisions, "default").Items.Count >= scenarios.Count, "the v1 revisions");
    foreach (var s in scenarios)
    {
        system.Store.Create(SoakSystem.AppRollouts, "default", s.Rollout(receiver.Url));
    }
    await WaitUntilAsync(() => scenarios.All(s => State(system, s) == ("rolloutSucceed", s.Name + "-v1")), "every rollout to v1");

    await log.WriteLineAsync($"soak: upgrading to v2 under faults (one every ~{options.FaultEvery.TotalSeconds}s)");
    system.StartRecording();
    foreach (var s in scenarios)
    {
        system.Store.Mutate(SoakSystem.Applications, "default", s.Name, app => { app["spec"] = s.Application(v2: true)["spec"]!.DeepClone(); return app; });
    }
    await WaitUntilAsync(() => system.Store.List(SoakSystem.Revisions, "default").Items.Count >= 2 * scenarios.Count, "the v2 revisions");
    foreach (var s in scenarios)
    {
        system.Store.Mutate(SoakSystem.AppRollouts, "default", s.Name, r => { r["spec"] = s.RolloutSpec(v2: true, receiver.Url); return r; });
    }

    var random = new Random(options.Seed);
    var next = clock.Elapsed + options.FaultEvery;
    var sinceRestart = 0;
    await WaitAsync(async () =>
    {
        if (clock.Elapsed >= next)
        {
            next = clock.Elapsed + (options.FaultEvery * (0.5 + random.NextDouble()));
            var pick = random.Next(10);
            if (pick < 2 && sinceRestart >= 2)
            {
                sinceRestart = 0;
                faults["apiserver_restarted"]++;
                lostWrites += await system.RestartPlaneAsync();
            }
            else if (pick < 6)
            {
                sinceRestart++;
                faults["controller_killed"]++;
                await log.WriteLineAsync("soak: controller SIGKILLed and restarted");
                await system.KillControllerAsync();
            }
            else
            {
                sinceRestart++;
                faults["competing_writes"] += CompetingWriter.Burst(system.Store, scenarios, random, TimeSpan.FromSeconds(1));
            }
        }
        return scenarios.All(s => State(system, s) is ({ } state, var target) && target == s.Name + "-v2" && state is "rolloutSucceed" or "rolloutFailed");
    }, "every upgrade to end");
    faults["conflicts_409"] = (int)system.Conflicts;

    foreach (var s in scenarios)
    {
        var (state, target) = State(system, s);
        var shown = $"{state ?? "none"}{(target == s.Name + "-v2" ? "" : $" (target {target ?? "none"})")}";
        states[shown] = states.GetValueOrDefault(shown) + 1;
        if (state != s.Expected || target != s.Name + "-v2")
        {
            wrong.Add($"{s.Name} ({s.Type}, {s.Trouble}): {shown}, want {s.Expected}");
        }
    }
    report = Invariants.Check(await system.HistoryAsync(), scenarios);
}

async Task WaitAsync(Func<ValueTask<bool>> done, string what)
{
    var deadline = clock.Elapsed + options.Timeout;
    var report = clock.Elapsed + TimeSpan.FromSeconds(15);
    while (!await done())
    {
        if (clock.Elapsed > deadline)
        {
            await log.WriteLineAsync($"soak: timed out waiting for {what}");
            return;
        }
        if (clock.Elapsed > report && current is { } running)
        {
            report = clock.Elapsed + TimeSpan.FromSeconds(15);
            var counts = scenarios.Select(s => State(running, s)).GroupBy(t => t.State ?? "none").Select(g => $"{g.Key} {g.Count()}");
            await log.WriteLineAsync($"soak: waiting for {what} at {clock.Elapsed.TotalSeconds:F0} s: {string.Join(", ", counts)}");
        }
        await Task.Delay(100);
    }
}

Task WaitUntilAsync(Func<bool> done, string what) => WaitAsync(() => ValueTask.FromResult(done()), what);

static (string? State, string? Target) State(SoakSystem system, Scenario s)
{
    var status = system.Store.Get(SoakSystem.AppRollouts, "default", s.Name)["status"];
    return (status?["rollingState"]?.GetValue<string>(), status?["lastTargetAppRevision"]?.GetValue<string>());
}

try
{
    Directory.Delete(dataDir, recursive: true);
}
catch (IOException)
{
}

var violations = report!.Violations;
var violationCount = violations.Values.Sum(v => v.Count);
var faultsJson = new JsonObject();
foreach (var (type, count) in faults)
{
    faultsJson[type] = count;
}
var result = new JsonObject
{
    ["rollouts"] = options.Rollouts,
    ["faults"] = faultsJson,
    ["terminal_states_wrong"] = wrong.Count,
    ["invariant_violations"] = violationCount,
    ["lost_writes"] = lostWrites,
};
foreach (var line in wrong.Concat(violations.Values.SelectMany(v => v)).Take(20))
{
    await log.WriteLineAsync("soak: " + line);
}
if (options.Json)
{
    Console.WriteLine(result.ToJsonString());
}
else
{
    var table = new StringBuilder();
    void Line(FormattableString text) => table.AppendLine(text.ToString(CultureInfo.InvariantCulture));
    Line($"{options.Rollouts} rollouts (v1 -> v2, batches 1,2 of 3 pods) in {clock.Elapsed.TotalSeconds:F0} s; seed {options.Seed}");
    Line($"faults injected");
    foreach (var (type, count) in faults)
    {
        Line($"  {type,-24} {count,6}");
    }
    Line($"terminal states: reached, against expected");
    foreach (var (state, count) in states)
    {
        Line($"  {state,-36} {count,6}");
    }
    foreach (var expected in scenarios.GroupBy(s => s.Expected).OrderBy(g => g.Key, StringComparer.Ordinal))
    {
        Line($"  expected {expected.Key,-27} {expected.Count(),6}");
    }
    Line($"  wrong                                {wrong.Count,6}");
    Line($"invariant violations (checked {report.PodStates} pod states, {report.RolloutStates} upgrade states in batches)");
    foreach (var (type, found) in violations)
    {
        Line($"  {type,-24} {found.Count,6}");
    }
    Line($"  {"lost acknowledged writes",-24} {lostWrites,6}");
    Console.Write(table.ToString());
}
return wrong.Count + violationCount + lostWrites == 0 ? 0 : 1;
