using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Bench.Soak;
using Sluice.Controllers.Kube;

// bench/soak: rollouts of every workload kind upgraded while faults are injected at random (controller SIGKILLed
// and restarted, API server SIGKILLed and restarted on the same data directory, a competing writer causing 409s,
// webhooks that fail or hang, pods that never become ready); prints the faults, the terminal states against the
// expected ones, the invariant violations found in the committed history as its watches delivered it, and the
// acknowledged writes lost across the API server's restarts. Exits 1 when anything is wrong.
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
var relists = 0;
IReadOnlyList<Sluice.Bench.Common.Recorded> history = [];
var states = new SortedDictionary<string, int>(StringComparer.Ordinal);
var clock = Stopwatch.StartNew();
SoakSystem? current = null;
using var receiver = new WebhookReceiver();
await using (var system = new SoakSystem(options, dataDir, log))
{
    await system.StartAsync();
    current = system;
    var writer = new CompetingWriter(() => system.Api);
    await log.WriteLineAsync($"soak: {scenarios.Count} applications of clonesetservice/statefulservice/webservice/daemon rolled out to v1");
    foreach (var s in scenarios)
    {
        await system.Api.CreateAsync(ResourceKind.Application, "default", s.Application(v2: false), CancellationToken.None);
    }
    await WaitUntilAsync(async () => await CountAsync(system, ResourceKind.ApplicationRevision) >= scenarios.Count, "the v1 revisions");
    foreach (var s in scenarios)
    {
        await system.Api.CreateAsync(ResourceKind.AppRollout, "default", s.Rollout(receiver.Url), CancellationToken.None);
    }
    await WaitUntilAsync(async () => (await StatesAsync(system)) is { } now && scenarios.All(s => now.GetValueOrDefault(s.Name) == ("rolloutSucceed", s.Name + "-v1")), "every rollout to v1");

    await log.WriteLineAsync($"soak: upgrading to v2 under faults (one every ~{options.FaultEvery.TotalSeconds}s)");
    await system.StartRecordingAsync();
    foreach (var s in scenarios)
    {
        await system.Api.MergePatchAsync(ResourceKind.Application, "default", s.Name, new JsonObject { ["spec"] = s.Application(v2: true)["spec"]!.DeepClone() }, null, CancellationToken.None);
    }
    await WaitUntilAsync(async () => await CountAsync(system, ResourceKind.ApplicationRevision) >= 2 * scenarios.Count, "the v2 revisions");
    foreach (var s in scenarios)
    {
        await system.Api.MergePatchAsync(ResourceKind.AppRollout, "default", s.Name, new JsonObject { ["spec"] = s.RolloutSpec(v2: true, receiver.Url) }, null, CancellationToken.None);
    }

    var random = new Random(options.Seed);
    var next = clock.Elapsed + options.FaultEvery;
    var sinceRestart = 0;
    await WaitUntilAsync(async () =>
    {
        if (clock.Elapsed >= next)
        {
            next = clock.Elapsed + (options.FaultEvery * (0.5 + random.NextDouble()));
            var pick = random.Next(10);
            // At most every third fault; the first restart at the third fault, so that even a short run has one.
            if (sinceRestart >= 2 && (pick < 2 || faults["apiserver_restarted"] == 0))
            {
                sinceRestart = 0;
                faults["apiserver_restarted"]++;
                lostWrites += (await system.RestartPlaneAsync(writer.Acknowledged)).Count;
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
                faults["competing_writes"] += await writer.BurstAsync(scenarios, random, TimeSpan.FromSeconds(1));
            }
        }
        return (await StatesAsync(system)) is { } now
            && scenarios.All(s => now.GetValueOrDefault(s.Name) is ({ } state, var target) && target == s.Name + "-v2" && state is "rolloutSucceed" or "rolloutFailed");
    }, "every upgrade to end");
    faults["conflicts_409"] = writer.Conflicts;

    var end = await StatesAsync(system) ?? throw new InvalidOperationException("the API server does not answer");
    foreach (var s in scenarios)
    {
        var (state, target) = end.GetValueOrDefault(s.Name);
        var shown = $"{state ?? "none"}{(target == s.Name + "-v2" ? "" : $" (target {target ?? "none"})")}";
        states[shown] = states.GetValueOrDefault(shown) + 1;
        if (state != s.Expected || target != s.Name + "-v2")
        {
            wrong.Add($"{s.Name} ({s.Type}, {s.Trouble}): {shown}, want {s.Expected}");
        }
    }
    history = system.History();
    report = Invariants.Check(history, scenarios);
    relists = system.Recorder.Relists;
}

async Task WaitUntilAsync(Func<Task<bool>> done, string what)
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
        if (current is { Died: true })
        {
            throw new InvalidOperationException($"the API server or the controller died by itself:\n{current.LogTails()}");
        }
        if (clock.Elapsed > report && current is { } running && await StatesAsync(running) is { } now)
        {
            report = clock.Elapsed + TimeSpan.FromSeconds(15);
            var counts = scenarios.Select(s => now.GetValueOrDefault(s.Name)).GroupBy(t => t.State ?? "none").Select(g => $"{g.Key} {g.Count()}");
            await log.WriteLineAsync($"soak: waiting for {what} at {clock.Elapsed.TotalSeconds:F0} s: {string.Join(", ", counts)}");
        }
        await Task.Delay(250);
    }
}

// Every AppRollout's state and target by name, from one list; null when the API server does not answer.
static async Task<Dictionary<string, (string? State, string? Target)>?> StatesAsync(SoakSystem system)
{
    JsonObject list;
    try
    {
        list = await system.Api.ListAsync(ResourceKind.AppRollout, "default", null, CancellationToken.None);
    }
    catch (Exception e) when (e is HttpRequestException or KubeApiException)
    {
        return null;
    }
    var states = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
    foreach (var rollout in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
    {
        var status = rollout["status"];
        states[rollout["metadata"]!["name"]!.GetValue<string>()] = (status?["rollingState"]?.GetValue<string>(), status?["lastTargetAppRevision"]?.GetValue<string>());
    }
    return states;
}

static async Task<int> CountAsync(SoakSystem system, ResourceKind kind)
{
    try
    {
        return ((await system.Api.ListAsync(kind, "default", null, CancellationToken.None))["items"] as JsonArray)?.Count ?? 0;
    }
    catch (Exception e) when (e is HttpRequestException or KubeApiException)
    {
        return 0;
    }
}

var violations = report!.Violations;
var violationCount = violations.Values.Sum(v => v.Count);
var bad = wrong.Count + violationCount + lostWrites;
if (bad == 0)
{
    try
    {
        Directory.Delete(dataDir, recursive: true);
    }
    catch (IOException)
    {
    }
}
else
{
    await using (var dump = new StreamWriter(Path.Combine(dataDir, "history.jsonl")))
    {
        foreach (var (_, change) in history)
        {
            await dump.WriteLineAsync(new JsonObject
            {
                ["resourceVersion"] = change.ResourceVersion, ["type"] = change.Type, ["resource"] = change.Resource.ToString(), ["object"] = change.Object.DeepClone(),
            }.ToJsonString());
        }
    }
    await log.WriteLineAsync($"soak: the data directory, the logs of the API server and controllers and the recorded history (history.jsonl) are kept in {dataDir}");
}
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
    Line($"invariant violations (checked {report.PodStates} pod states, {report.RolloutStates} upgrade states in batches; watches listed again {relists} times)");
    foreach (var (type, found) in violations)
    {
        Line($"  {type,-24} {found.Count,6}");
    }
    Line($"  {"lost acknowledged writes",-24} {lostWrites,6}");
    Console.Write(table.ToString());
}
return bad == 0 ? 0 : 1;
