using System.Diagnostics;
using Sluice.Bench.Common;
using Sluice.ControlPlane;
using Sluice.ControlPlane.Http;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.Simulator;

namespace Sluice.Bench.Rollouts;

/// <summary>
/// One run: the plane and the simulator in this process, the controller in its own; N applications created
/// through the store (so every HTTP request counted is the controller's), then N AppRollouts at once, until
/// every one has succeeded.
/// </summary>
internal sealed class RolloutRun(BenchOptions options, TextWriter log)
{
    private static readonly ParallelOptions Concurrently = new() { MaxDegreeOfParallelism = 32 };

    public async Task<RunFigures> RunAsync(TimeSpan? pollInterval)
    {
        var mode = pollInterval is { } p ? $"poll every {p.TotalSeconds}s" : "watch";
        var dataDir = Path.Combine(Path.GetTempPath(), "sluice-bench-rollouts-" + Guid.NewGuid().ToString("N"));
        var n = options.Rollouts;
        try
        {
            await using var plane = await ControlPlaneServer.StartAsync(
                new ControlPlaneOptions { DataDir = dataDir, WatchHistory = Math.Max(10_000, n * 60) }, TimeProvider.System);
            var delay = new DelayRange(options.ReadyDelay, options.ReadyDelay);
            await using var simulator = await WorkloadSimulator.StartAsync(plane.Store, new SimulatorOptions(Nodes: 3, PodReadyDelay: delay), TimeProvider.System);
            var extra = new List<string>();
            if (options.Workers is { } workers)
            {
                extra.AddRange(["--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            if (pollInterval is { } interval)
            {
                extra.AddRange(["--poll-interval", $"{(int)interval.TotalMilliseconds}ms"]);
            }
            using var controller = ControllerProcess.Start(options.SluiceDll, plane.KubeconfigPath, Path.Combine(dataDir, "controller.log"), [.. extra]);
            await log.WriteLineAsync($"bench [{mode}]: controller pid {controller.Id}; creating {n} applications");
            var store = plane.Store;
            // concurrent creates share the store's group commit (one after another, each would wait for its own fsync)
            Parallel.For(0, n, Concurrently, i =>
                store.Create(Fleet.Applications, Fleet.Namespace, Fleet.Application(Fleet.Name(i), "stefanprodan/podinfo:4.0.6", options.Replicas)));
            // a list copies every object: once a second, not to compete with the plane for the CPU at 10,000
            await WaitAsync(() => store.List(Fleet.Revisions, Fleet.Namespace).Items.Count >= n, controller, "every application's first revision", TimeSpan.FromSeconds(1));

            using var recorder = new StoreRecorder(store, Fleet.CloneSets, Fleet.AppRollouts);
            var succeeded = new HashSet<string>();
            var failed = new List<string>();
            var gate = new Lock();
            recorder.Arrived += change =>
            {
                if (change.Resource != Fleet.AppRollouts)
                {
                    return;
                }
                var state = Fleet.RollingState(change.Object);
                var name = change.Object["metadata"]!["name"]!.GetValue<string>();
                lock (gate)
                {
                    if (state == "rolloutSucceed")
                    {
                        succeeded.Add(name);
                    }
                    else if (state == "rolloutFailed")
                    {
                        failed.Add(name);
                    }
                }
            };
            var requestsBefore = plane.Requests.Snapshot();
            var conflictsBefore = plane.Requests.Conflicts;
            var cpuBefore = controller.CpuTime();
            var planeCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            await log.WriteLineAsync($"bench [{mode}]: creating {n} AppRollouts of {options.Batches} batches ({options.Replicas} replicas, pods ready after {options.ReadyDelay.TotalMilliseconds} ms)");
            var started = Stopwatch.GetTimestamp();
            Parallel.For(0, n, Concurrently, i => store.Create(Fleet.AppRollouts, Fleet.Namespace, Fleet.Rollout(Fleet.Name(i), options.Replicas, options.Batches)));
            var lastReport = Stopwatch.GetTimestamp();
            await WaitAsync(() =>
            {
                int done;
                lock (gate)
                {
                    if (failed.Count > 0)
                    {
                        throw new InvalidOperationException($"rollout {failed[0]} failed; controller log:\n{controller.LogTail(30)}");
                    }
                    done = succeeded.Count;
                }
                if (!recorder.Healthy)
                {
                    throw new InvalidOperationException("the bench's own watch fell behind and was closed; raise the watch capacity");
                }
                if (Stopwatch.GetElapsedTime(lastReport) > TimeSpan.FromSeconds(10))
                {
                    lastReport = Stopwatch.GetTimestamp();
                    log.WriteLine($"bench [{mode}]: {done}/{n} succeeded after {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
                }
                return done >= n;
            }, controller, "every rollout to succeed");
            var wall = Stopwatch.GetElapsedTime(started);
            var requestsAfter = plane.Requests.Snapshot();
            var conflicts = plane.Requests.Conflicts - conflictsBefore;
            var cpu = controller.CpuTime();
            var planeCpu = Process.GetCurrentProcess().TotalProcessorTime - planeCpuBefore;
            var peak = controller.PeakWorkingSetMb();
            await controller.StopAsync(TimeSpan.FromSeconds(10));
            await log.WriteLineAsync($"bench [{mode}]: {n} rollouts succeeded in {wall.TotalSeconds:F1} s");

            var progressWrites = ProgressWrites.Count(recorder.Events().Where(e => e.Change.Resource == Fleet.AppRollouts));
            var reactions = Reactions.Milliseconds(recorder.Events().Where(e => e.Change.Resource == Fleet.CloneSets));
            reactions.Sort();
            return new RunFigures(n, n * options.Batches, wall, reactions, Difference(requestsAfter, requestsBefore),
                (cpu - cpuBefore).TotalSeconds, cpu.TotalSeconds, peak, planeCpu.TotalSeconds, conflicts, progressWrites);
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static Dictionary<RequestKey, long> Difference(IReadOnlyDictionary<RequestKey, long> after, IReadOnlyDictionary<RequestKey, long> before) =>
        after.Select(a => (a.Key, Value: a.Value - before.GetValueOrDefault(a.Key))).Where(a => a.Value > 0).ToDictionary(a => a.Key, a => a.Value);

    private async Task WaitAsync(Func<bool> done, ControllerProcess controller, string what, TimeSpan? every = null)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (!done())
        {
            if (controller.HasExited)
            {
                throw new InvalidOperationException($"the controller exited while waiting for {what}; its log:\n{controller.LogTail(30)}");
            }
            if (Stopwatch.GetElapsedTime(deadline) > options.Timeout)
            {
                throw new TimeoutException($"timed out after {options.Timeout} waiting for {what}; controller log:\n{controller.LogTail(30)}");
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(50));
        }
    }
}
