using Microsoft.Extensions.Logging.Abstractions;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Rollouts;
using Sluice.Core.Engine;
using Sluice.Testing;

namespace Sluice.Controllers.Tests.Rollouts;

public class EventRecorderTests
{
    [Fact]
    public async Task Record_ReturnsAtOnce_AndTheSenderCreatesTheEventsInOrder()
    {
        var api = new FakeKubeApi();
        var rollout = api.Put(ResourceKind.AppRollout, new() { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "r", ["namespace"] = "default" } });
        var recorder = new EventRecorder(api, TimeProvider.System, NullLogger.Instance, instance: "test-1");

        recorder.Record(rollout, RecordedEvent.Normal("First", "one"));
        recorder.Record(rollout, RecordedEvent.Warn("Second", "two"));
        api.Calls.ShouldBeEmpty();
        recorder.Pending.ShouldBe(2);

        using var stop = new CancellationTokenSource();
        var sending = recorder.RunAsync(stop.Token);
        await Eventually.WaitUntil(() => recorder.Pending == 0 && api.Calls.Count(c => c.StartsWith("create events", StringComparison.Ordinal)) == 2);
        await stop.CancelAsync();
        await sending.WaitAsync(TimeSpan.FromSeconds(5));

        var events = (await api.ListAsync(ResourceKind.Event, "default", null, CancellationToken.None))["items"]!.AsArray();
        events.Select(e => e!["reason"]!.GetValue<string>()).ShouldBe(["First", "Second"]);
        events.ShouldAllBe(e => e!["reportingInstance"]!.GetValue<string>() == "test-1" && e["involvedObject"]!["name"]!.GetValue<string>() == "r");
    }
}
