using System.Diagnostics;
using Sluice.Testing;

namespace Sluice.EndToEnd.Tests.Support;

/// <summary>
/// Runs `sluice controller` against a plane and SIGKILLs it at random moments (from a seeded <see cref="Random"/>),
/// starting a new one each time, until stopped. Most kills land while the process leads (a random moment of
/// 0.1–2 s after it says it leads, so mid-reconcile); some land while it starts or waits for the lease.
/// Only one controller runs at a time; each waits for the killed one's lease to expire.
/// </summary>
/// <param name="leadingMs">How long a controller that leads lives before it is killed, in ms (from, to); default 100 to 2000.</param>
public sealed class ControllerChaos(string kubeconfig, int seed, TimeSpan leaseDuration, IReadOnlyList<string>? options = null, (int From, int To)? leadingMs = null) : IAsyncDisposable
{
    private readonly Random random = new(seed);
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private readonly List<string> log = [];
    private readonly List<string> failures = [];
    private SluiceProcess? current;
    private Task? loop;

    /// <summary>Controllers killed so far.</summary>
    public int Kills { get; private set; }

    /// <summary>Of <see cref="Kills"/>, those killed while they held the lease.</summary>
    public int KillsWhileLeading { get; private set; }

    /// <summary>One line per incarnation: identity, how long it lived, whether it led.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (gate)
            {
                return log.ToList();
            }
        }
    }

    /// <summary>Controllers that exited without being killed, with what they said: each one is a bug.</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (gate)
            {
                return failures.ToList();
            }
        }
    }

    public void Start() => loop = Task.Run(RunAsync);

    /// <summary>Stops killing: the controller running now is left to run (and finish the work) until disposal.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        if (loop is not null)
        {
            await loop.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (loop is not null)
        {
            await loop.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        current?.Stop(TimeSpan.FromSeconds(5));
        current?.Dispose();
        stop.Dispose();
    }

    private async Task RunAsync()
    {
        var seconds = ((int)Math.Ceiling(leaseDuration.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) + "s";
        for (var incarnation = 1; !stop.IsCancellationRequested; incarnation++)
        {
            var identity = $"crash-{incarnation}";
            current = SluiceProcess.Start(identity, ["controller", "--kubeconfig", kubeconfig, "--lease-duration", seconds, "--identity", identity, .. options ?? []]);
            var lived = Stopwatch.StartNew();
            var early = random.Next(6) == 0;
            var delay = early ? TimeSpan.FromMilliseconds(random.Next(0, 1500)) : TimeSpan.FromMilliseconds(random.Next(leadingMs?.From ?? 100, leadingMs?.To ?? 2000));
            try
            {
                if (!early)
                {
                    // Bounded: a controller that never leads within this is killed anyway.
                    await current.WaitForLineAsync("is the leader", TimeSpan.FromSeconds(20)).WaitAsync(stop.Token);
                }

                await Task.Delay(delay, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (TimeoutException)
            {
                // never led: killed all the same
            }
            catch (InvalidOperationException)
            {
                // it exited by itself: noted below
            }

            var leading = current.Said("is the leader");
            var exited = current.HasExited;
            current.Kill();
            lock (gate)
            {
                if (exited)
                {
                    failures.Add($"{identity} exited by itself:\n{current.Stderr}");
                }

                Kills++;
                KillsWhileLeading += leading ? 1 : 0;
                log.Add($"{identity}: killed after {lived.Elapsed.TotalSeconds:F1}s{(leading ? " while leading" : " before leading")}");
            }

            current.Dispose();
            current = null;
        }
    }
}
