using System.CommandLine;
using System.Globalization;
using Sluice.Cli.Output;
using Sluice.Controllers.Operations;
using Sluice.Core.Operations;
using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Runtime;
using Sluice.Core.Api;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice rollout status NAME [--timeout D]</c>: waits for the rollout to end, printing a line per change (followed
/// through a watch of the API, <see cref="ClusterCache"/>);
/// exit 0 on rolloutSucceed, 6 on rolloutFailed, 7 past the timeout, 4 when there is no such rollout.
/// </summary>
internal static class RolloutStatusCommand
{
    public static Command Create(ICliConsole console, ConnectionOptions connection, TimeProvider time)
    {
        var name = RolloutCommand.NameArgument();
        var timeout = new Option<TimeSpan?>("--timeout")
        {
            Description = "Give up after this long, e.g. 90s, 5m, 1h (default: wait until it ends).",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (ParseDuration(text) is { } value)
                {
                    return value;
                }

                result.AddError($"--timeout: \"{text}\" is not a duration such as 500ms, 90s, 5m or 1h");
                return null;
            },
        };
        var command = new Command("status", "Wait for an AppRollout to end; a line per change. Exit 0 succeeded, 6 failed, 7 timed out, 4 not found.") { name, timeout };
        command.SetAction(async (parse, cancellationToken) =>
            await Cluster.RunAsync(console, connection, parse, target => WaitAsync(target, parse.GetValue(name)!, parse.GetValue(timeout), console, time, cancellationToken)));
        return command;
    }

    public static TimeSpan? ParseDuration(string text)
    {
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600) };
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                return TimeSpan.FromSeconds(n * seconds);
            }
        }

        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var plain) ? TimeSpan.FromSeconds(plain) : null;
    }

    private static async Task<int> WaitAsync(Connection target, string name, TimeSpan? timeout, ICliConsole console, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = timeout is { } t ? new CancellationTokenSource(t, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        string? last = null;
        try
        {
            // Read once directly, so that "no such rollout" and an unreachable API answer at once; then follow the
            // rollout through a watch: a line for each change as it happens, with nothing asked of the server meanwhile.
            var stored = await target.Api.GetAsync(ResourceKind.AppRollout, target.Namespace, name, linked.Token);
            await using var cache = new ClusterCache(target.Api, time, NullLogger.Instance, linger: TimeSpan.Zero);
            var changed = new ChangeSignal();
            cache.Changed += (_, e) =>
            {
                if (e.Object["metadata"]?["name"]?.GetValue<string>() == name)
                {
                    changed.Notify();
                }
            };
            using var watch = cache.Acquire(ResourceKind.AppRollout, target.Namespace);
            while (true)
            {
                if (stored is null)
                {
                    await console.Error.WriteLineAsync($"error: approllout/{name} not found in namespace {target.Namespace}");
                    return ExitCodes.NotFound;
                }

                var facts = new RolloutFacts(SluiceJson.Deserialize<AppRollout>(stored));
                var line = facts.Line();
                if (line != last)
                {
                    await console.People.WriteLineAsync($"approllout/{name} {line}");
                    last = line;
                }

                if (facts.Current && facts.State == RollingState.RolloutSucceed)
                {
                    return ExitCodes.Success;
                }

                if (facts.Current && facts.State == RollingState.RolloutFailed)
                {
                    return ExitCodes.RolloutFailed;
                }

                await changed.WaitAsync(linked.Token);
                stored = cache.Get(ResourceKind.AppRollout, target.Namespace, name);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync($"error: approllout/{name} did not end within {timeout}");
            return ExitCodes.TimedOut;
        }
    }
}
