using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Workloads;

namespace Sluice.Controllers.Runtime;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease: acquire it when it is free or expired, renew it every
/// third of its duration, and give up leadership (cancelling the leader's work) as soon as a renewal cannot be
/// made before the lease would expire. Writes carry the read resourceVersion, so two candidates never both win.
/// </summary>
public sealed class LeaseElector(IKubeApi api, string ns, string name, string identity, TimeProvider time, ILogger logger, TimeSpan? duration = null)
{
    /// <summary>The holder's version, on the Lease: <c>sluice version</c> reads it to say which controller leads.</summary>
    public const string VersionAnnotation = "rollout.sluice.dev/controller-version";

    private readonly TimeSpan leaseDuration = duration ?? TimeSpan.FromSeconds(15);

    public string Identity => identity;

    /// <summary>Waits until this candidate holds the lease.</summary>
    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await TryAcquireOrRenewAsync(cancellationToken))
                {
                    logger.LogInformation("{Identity} is the leader (lease {Namespace}/{Name})", identity, ns, name);
                    return;
                }
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException)
            {
                logger.LogWarning("leader election: {Error}", e.Message);
            }

            await Task.Delay(leaseDuration / 5, time, cancellationToken);
        }
    }

    /// <summary>Renews the lease until it cannot; completes when leadership is lost (or on cancellation).</summary>
    public async Task HoldAsync(CancellationToken cancellationToken)
    {
        var lastRenewed = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(leaseDuration / 3, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (!await TryAcquireOrRenewAsync(cancellationToken))
                {
                    logger.LogWarning("{Identity} lost the lease to another holder", identity);
                    return;
                }

                lastRenewed = time.GetUtcNow();
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException)
            {
                logger.LogWarning("lease renewal failed: {Error}", e.Message);
                if (time.GetUtcNow() - lastRenewed > leaseDuration * 2 / 3)
                {
                    logger.LogWarning("{Identity} could not renew the lease in time; stepping down", identity);
                    return;
                }
            }
        }
    }

    /// <summary>Lets the lease go at once (a clean shutdown), so another candidate need not wait for it to expire.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        var lease = await api.GetAsync(ResourceKind.Lease, ns, name, cancellationToken);
        if (lease is null || JsonPath.String(lease, "spec.holderIdentity") != identity)
        {
            return;
        }

        JsonPath.Set(lease, "spec.holderIdentity", null);
        JsonPath.Set(lease, "spec.renewTime", null);
        try
        {
            await api.ReplaceAsync(ResourceKind.Lease, ns, lease, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
        {
            // someone else moved on already
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lease = await api.GetAsync(ResourceKind.Lease, ns, name, cancellationToken);
        if (lease is null)
        {
            var created = new JsonObject
            {
                ["apiVersion"] = "coordination.k8s.io/v1",
                ["kind"] = "Lease",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["annotations"] = new JsonObject { [VersionAnnotation] = SluiceVersion.Current } },
                ["spec"] = Spec(now, now, transitions: 0),
            };
            try
            {
                await api.CreateAsync(ResourceKind.Lease, ns, created, cancellationToken);
                return true;
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                return false;
            }
        }

        var holder = JsonPath.String(lease, "spec.holderIdentity");
        var renewed = Parse(JsonPath.String(lease, "spec.renewTime"));
        var seconds = JsonPath.IntOrNull(lease, "spec.leaseDurationSeconds") ?? (int)leaseDuration.TotalSeconds;
        var expired = renewed is null || now > renewed.Value + TimeSpan.FromSeconds(seconds);
        if (!string.IsNullOrEmpty(holder) && holder != identity && !expired)
        {
            return false;
        }

        var transitions = JsonPath.Int(lease, "spec.leaseTransitions") + (holder == identity ? 0 : 1);
        var acquired = holder == identity ? Parse(JsonPath.String(lease, "spec.acquireTime")) ?? now : now;
        lease["spec"] = Spec(acquired, now, transitions);
        WorkloadMarks.SetMapEntry(lease, "metadata.annotations", VersionAnnotation, SluiceVersion.Current);
        try
        {
            await api.ReplaceAsync(ResourceKind.Lease, ns, lease, cancellationToken);
            return true;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            return false;
        }
    }

    private JsonObject Spec(DateTimeOffset acquired, DateTimeOffset renewed, int transitions) => new()
    {
        ["holderIdentity"] = identity,
        ["leaseDurationSeconds"] = (int)Math.Ceiling(leaseDuration.TotalSeconds),
        ["acquireTime"] = Format(acquired),
        ["renewTime"] = Format(renewed),
        ["leaseTransitions"] = transitions,
    };

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
