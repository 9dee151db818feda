using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Controllers.Kube;
using Sluice.Core.Engine;

namespace Sluice.Controllers.Rollouts;

/// <summary>
/// Records core/v1 Events on an object, as <c>kubectl describe</c> shows them, signed with the component and the
/// process's identity (<c>source.host</c>, <c>reportingInstance</c>): which of several controllers acted. A failure to
/// record is logged, never fatal.
/// </summary>
public sealed class EventRecorder(IKubeApi api, TimeProvider time, ILogger logger, string component = "sluice-controller", string? instance = null)
{
    private long sequence;

    public async Task RecordAsync(JsonObject involved, RecordedEvent recorded, CancellationToken cancellationToken)
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

        try
        {
            await api.CreateAsync(ResourceKind.Event, ns, evt, cancellationToken);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            logger.LogWarning("could not record event {Reason} on {Namespace}/{Name}: {Error}", recorded.Reason, ns, name, e.Message);
        }
    }
}
