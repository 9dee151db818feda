using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Sluice.Controllers.Kube;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Rollouts;

/// <summary>
/// Records core/v1 Events on an object, as <c>kubectl describe</c> shows them, signed with the component and the
/// process's identity (<c>source.host</c>, <c>reportingInstance</c>): which of several controllers acted. Like
/// client-go's recorder it is asynchronous: <see cref="Record"/> queues the event, stamped when it happened, and
/// <see cref="RunAsync"/> sends the queue in order, so a reconcile never waits for its events. Events are best
/// effort: a failure to send is logged, a full queue drops the newest, and what is queued when the controller stops
/// is lost.
/// </summary>
public sealed class EventRecorder(IKubeApi api, TimeProvider time, ILogger logger, string component = "sluice-controller", string? instance = null)
{
    private const int Capacity = 10_000;

    private readonly Channel<JsonObject> queue = Channel.CreateBounded<JsonObject>(new BoundedChannelOptions(Capacity) { SingleReader = true });
    private long sequence;
    private long dropped;

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Events waiting to be sent.</summary>
    public int Pending => queue.Reader.Count;

    /// <summary>Queues an event on <paramref name="involved"/>; never blocks.</summary>
    public void Record(JsonObject involved, RecordedEvent recorded)
    {
        if (!queue.Writer.TryWrite(Build(involved, recorded)) && Interlocked.Increment(ref dropped) % 1000 == 1)
        {
            logger.LogWarning("the event queue is full ({Capacity}); dropping events ({Dropped} so far)", Capacity, Dropped);
        }
    }

    /// <summary>Sends queued events, in order, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var evt in queue.Reader.ReadAllAsync(cancellationToken))
            {
                await SendAsync(evt, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(JsonObject evt, CancellationToken cancellationToken)
    {
        var ns = evt["metadata"]!["namespace"]!.GetValue<string>();
        try
        {
            await api.CreateAsync(ResourceKind.Event, ns, evt, cancellationToken);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            logger.LogWarning("could not record event {Reason} on {Namespace}/{Name}: {Error}", evt["reason"], ns, evt["involvedObject"]?["name"], e.Message);
        }
    }

    private JsonObject Build(JsonObject involved, RecordedEvent recorded)
    {
        var ns = involved["metadata"]?["namespace"]?.GetValue<string>() ?? "default";
        var name = involved["metadata"]?["name"]?.GetValue<string>() ?? "unknown";
        var now = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var unique = $"{time.GetUtcNow().ToUnixTimeMilliseconds():x}{Interlocked.Increment(ref sequence):x}";
        var evt = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = $"{name}.{unique}", ["namespace"] = ns },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = involved["apiVersion"]?.DeepClone(),
                ["kind"] = involved["kind"]?.DeepClone(),
                ["name"] = name,
                ["namespace"] = ns,
                ["uid"] = involved["metadata"]?["uid"]?.DeepClone(),
            },
            ["reason"] = recorded.Reason,
            ["message"] = recorded.Message,
            ["type"] = recorded.Warning ? "Warning" : "Normal",
            ["source"] = new JsonObject { ["component"] = component },
            ["reportingComponent"] = component,
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
        };
        if (instance is not null)
        {
            evt["source"]!["host"] = instance;
            evt["reportingInstance"] = instance;
        }

        return evt;
    }
}
