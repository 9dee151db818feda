using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Applications;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sluice.Controllers.Kube;
using Sluice.Controllers.Metrics;
using Sluice.Controllers.Notifications;
using Sluice.Controllers.Observing;
using Sluice.Controllers.Rollouts;
using Sluice.Controllers.Runtime;
using Sluice.Controllers.Traffic;
using Sluice.Controllers.Workloads;

namespace Sluice.Controllers;

/// <summary>
/// Runs the Application, AppRollout and AnalysisRun controllers against any Kubernetes API: waits to be the leader,
/// lists and watches what they need, maps changes of workloads to the rollout that holds them, and works the
/// queues until cancelled or until leadership is lost (then it stands by as a candidate again). Beside them, outside
/// the reconciles: the rollout observer (per-rollout metrics) and the notifier. With a health port it serves probes and
/// <c>/metrics</c>.
/// </summary>
public sealed class ControllerHost(IKubeApi api, HttpClient webhookClient, ControllerOptions options, TimeProvider time, ILoggerFactory loggers) : IMetricsSource
{
    /// <summary>Rolling states of a rollout that has yet to start or has finished: its work waits behind rollouts under way.</summary>
    private static readonly HashSet<string> UnstartedOrDone = ["", "locatingTargetApp", "verifyingSpec", "rolloutSucceed", "rolloutFailed"];

    private readonly ILogger logger = loggers.CreateLogger("Sluice.Controllers");
    private volatile string state = "starting";

    /// <summary>"candidate", "leading", "stopped"... for /readyz and tests.</summary>
    public string State => state;

    public bool IsLeader => state == "leading";

    private readonly TaskCompletionSource<Uri?> healthStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The health endpoint's URL once it listens (with <see cref="ControllerOptions.HealthPort"/>).</summary>
    public Uri? HealthUrl { get; private set; }

    /// <summary>Completes with <see cref="HealthUrl"/> once the endpoint listens (null without a health port).</summary>
    public Task<Uri?> HealthStarted => healthStarted.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var health = await StartHealthAsync(cancellationToken);
        using var leaderGauge = SluiceMetrics.Register(this);
        var elector = new LeaseElector(api, options.LeaseNamespace, options.LeaseName, options.Identity, time, loggers.CreateLogger("Sluice.LeaderElection"), options.LeaseDuration);
        while (!cancellationToken.IsCancellationRequested)
        {
            state = "candidate";
            try
            {
                await elector.AcquireAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            state = "leading";
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var hold = elector.HoldAsync(leading.Token);
            var work = RunControllersAsync(leading.Token);
            await Task.WhenAny(hold, work);
            await leading.CancelAsync();
            await Task.WhenAll(hold, work).ContinueWith(_ => { }, TaskScheduler.Default);
            if (work.IsFaulted)
            {
                logger.LogError(work.Exception, "the controllers stopped with an error");
            }
        }

        state = "stopped";
        using var release = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await elector.ReleaseAsync(release.Token);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or OperationCanceledException)
        {
            logger.LogWarning("could not release the lease: {Error}", e.Message);
        }
    }

    private async Task RunControllersAsync(CancellationToken cancellationToken)
    {
        var ns = options.Namespace;
        // The reconcilers read what the informers watch from their caches and write through to the server.
        var reads = new CachedKubeApi(api);
        var patcher = new WorkloadPatcher(reads);
        var kinds = new WorkloadKinds(patcher, new ApiPodIndex(api));
        var recorder = new EventRecorder(api, time, loggers.CreateLogger("Sluice.Events"), instance: options.Identity);
        var rollouts = new AppRolloutReconciler(reads, new RevisionResolver(reads, kinds), new WebhookRunner(webhookClient, api), recorder, time, loggers.CreateLogger("Sluice.AppRollout"),
            new TrafficRouters(new WorkloadPatcher(api)), new RolloutAnalysis(reads), new RolloutFollower(reads, kinds));
        var kubePackages = api is IOpenApiSource openApi ? new KubePackageSource(openApi, time) : null;
        var configReaders = options.ConfigTracking ? new ConfigReaders() : null;
        var applications = new ApplicationReconciler(reads, recorder, time, loggers.CreateLogger("Sluice.Application"), kubePackages, configReaders);
        using var providerHttp = new ProviderHttp(options.ProviderConcurrency);
        var measurer = new MetricMeasurer(new ProviderCredentials(api), new PrometheusClient(providerHttp), new WebMetricClient(providerHttp), CelConditions.Shared, options.PrometheusAddress, time);
        var analysisRuns = new AnalysisRunReconciler(reads, measurer, CelConditions.Shared, recorder, time, loggers.CreateLogger("Sluice.AnalysisRun"));

        using var rolloutQueue = new WorkQueue<ObjectKey>(time, name: "approllout");
        using var appQueue = new WorkQueue<ObjectKey>(time, name: "application");
        using var healthQueue = new WorkQueue<ObjectKey>(time, name: "application-health");
        using var analysisQueue = new WorkQueue<ObjectKey>(time, name: "analysisrun");
        var informerLogger = loggers.CreateLogger("Sluice.Informer");
        var rolloutInformer = new Informer(api, ResourceKind.AppRollout, ns, time, informerLogger);
        var appInformer = new Informer(api, ResourceKind.Application, ns, time, informerLogger);
        var revisionInformer = new Informer(api, ResourceKind.ApplicationRevision, ns, time, informerLogger).IndexByLabel(ApplicationReconciler.AppNameLabel);
        var definitionInformer = new Informer(api, ResourceKind.ComponentDefinition, null, time, informerLogger);
        var traitInformer = new Informer(api, ResourceKind.TraitDefinition, null, time, informerLogger);
        var workloadInformers = kinds.Resources.Select(kind => new Informer(api, kind, ns, time, informerLogger)).ToList();
        var observer = new RolloutObserver(time).Watch(rolloutInformer);
        using var rolloutGauges = SluiceMetrics.Register(observer);
        var notifier = new Notifier(api, rolloutInformer, recorder, webhookClient, options.NotificationsNamespace, time, loggers.CreateLogger("Sluice.Notifications"));
        var workloadKindInformer = new Informer(api, WorkloadDeclaration.Resource, null, time, informerLogger);
        var workloadKinds = new WorkloadKindReconciler(reads, kinds, time, loggers.CreateLogger("Sluice.WorkloadKind"));
        using var workloadKindQueue = new WorkQueue<ObjectKey>(time);
        workloadKindInformer.Changed += e => workloadKindQueue.Add(ObjectKey.Of(e.Object));
        var analysisInformer = new Informer(api, AnalysisKinds.AnalysisRun, ns, time, informerLogger);
        // A run is measured when it appears or changes (terminate); after that it asks for its own next measurement.
        analysisInformer.Changed += e => { if (e.Type != InformerEventType.Deleted) { analysisQueue.Add(ObjectKey.Of(e.Object)); } };
        // A run that has just been decided wakes the rollout it belongs to: its batch waits on the outcome.
        analysisInformer.Changed += e =>
        {
            if (e.Type is InformerEventType.Added or InformerEventType.Modified
                && JsonPath.String(e.Object, "status.phase") is "Successful" or "Failed" or "Inconclusive" or "Error"
                && JsonPath.Get(e.Object, "metadata.labels") is JsonObject labels
                && labels[Core.Api.AnalysisRun.RolloutLabel]?.GetValue<string>() is { Length: > 0 } rollout)
            {
                rolloutQueue.Add(new ObjectKey(ObjectKey.Of(e.Object).Namespace, rollout), WorkPriority.High);
            }
        };

        var polling = options.PollInterval is not null;
        rolloutInformer.Changed += e => { if (!polling || e.Type == InformerEventType.Added) { rolloutQueue.Add(ObjectKey.Of(e.Object), RolloutPriority(e.Object)); } };
        // Not for the status the application controller writes itself (controller-runtime's generation predicate).
        var appSpecs = new AppSpecVersions();
        appInformer.Changed += e => { if (appSpecs.Changed(e)) { appQueue.Add(ObjectKey.Of(e.Object)); } };
        definitionInformer.Changed += _ => { foreach (var app in appInformer.Keys()) { appQueue.Add(app); } };
        // Config tracking: a changed ConfigMap or Secret (not one of the copies the Applications read) makes a new revision of
        // the Applications whose last render read it (ConfigReaders; an Application not rendered yet renders anyway).
        var configInformers = new List<Informer>();
        foreach (var configKind in configReaders is null ? [] : new[] { ResourceKinds.For("v1", "ConfigMap"), ResourceKind.Secret })
        {
            var informer = new Informer(api, configKind, ns, time, informerLogger);
            informer.Changed += e =>
            {
                if (e.Type is InformerEventType.Added or InformerEventType.Modified && (JsonPath.Get(e.Object, "metadata.labels") as JsonObject)?[ConfigCopies.CopyOfLabel] is null)
                {
                    var changed = ObjectKey.Of(e.Object);
                    foreach (var app in configReaders!.ReadersOf(changed.Namespace, configKind.Kind, changed.Name))
                    {
                        appQueue.Add(app);
                    }
                }
            };
            configInformers.Add(informer);
        }

        var revisionIndex = new RevisionIndex();
        rolloutInformer.Changed += revisionIndex.Observe;
        var followers = new FollowerIndex();
        rolloutInformer.Changed += followers.Observe;
        revisionInformer.Changed += e =>
        {
            foreach (var rollout in revisionIndex.RolloutsOf(ObjectKey.Of(e.Object)))
            {
                rolloutQueue.Add(rollout);
            }

            // A new revision of a followed Application starts (or redirects) the rollouts that follow it.
            if (JsonPath.Get(e.Object, "metadata.labels") is JsonObject labels && labels[ApplicationReconciler.AppNameLabel]?.GetValue<string>() is { Length: > 0 } followedApp)
            {
                foreach (var rollout in followers.RolloutsFollowing(new ObjectKey(ObjectKey.Of(e.Object).Namespace, followedApp)))
                {
                    rolloutQueue.Add(rollout, WorkPriority.High);
                }
            }
        };
        void OnWorkload(InformerEvent e)
        {
            // The Application reports its components' health (status.services): refreshed without rendering again.
            if (JsonPath.Get(e.Object, "metadata.labels") is JsonObject labels && labels[ApplicationReconciler.AppNameLabel]?.GetValue<string>() is { Length: > 0 } appName
                && JsonPath.String(e.Object, "metadata.namespace") is { } appNs)
            {
                healthQueue.Add(new ObjectKey(appNs, appName));
            }

            if (!polling && JsonPath.Annotation(e.Object, WorkloadMarks.ControlledBy)?.Split('/') is [var holderNs, var holderName, ..])
            {
                // The workload of a rollout under way moved: its next step comes before starting new rollouts.
                rolloutQueue.Add(new ObjectKey(holderNs, holderName), WorkPriority.High);
            }
        }

        foreach (var informer in workloadInformers)
        {
            informer.Changed += OnWorkload;
        }

        // A declared kind's objects are watched from the moment its WorkloadKind is accepted, until it is deleted or refused
        // (or this process stops leading), with the same handlers as the built-in kinds'.
        var declaredWatches = new Dictionary<ResourceKind, (Informer Informer, CancellationTokenSource Stop)>();
        var declaredGate = new Lock();
        kinds.DeclaredChanged += (resource, driven) =>
        {
            lock (declaredGate)
            {
                if (driven && !declaredWatches.ContainsKey(resource) && !cancellationToken.IsCancellationRequested)
                {
                    var informer = new Informer(api, resource, ns, time, informerLogger);
                    informer.Changed += OnWorkload;
                    var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    declaredWatches[resource] = (informer, stop);
                    reads.Serve(informer);
                    _ = Task.Run(() => informer.RunAsync(stop.Token), CancellationToken.None);
                }
                else if (!driven && declaredWatches.Remove(resource, out var watch))
                {
                    reads.Unserve(watch.Informer);
                    watch.Stop.Cancel();
                    watch.Stop.Dispose();
                }
            }

            // Rollouts waiting for the kind (or failing on it) are looked at again.
            foreach (var rollout in rolloutInformer.Keys())
            {
                rolloutQueue.Add(rollout);
            }
        };

        var all = workloadInformers.Concat(configInformers).Append(analysisInformer).Append(workloadKindInformer).Prepend(traitInformer).Prepend(definitionInformer).Prepend(revisionInformer).Prepend(appInformer).Prepend(rolloutInformer).ToList();
        foreach (var informer in all)
        {
            reads.Serve(informer);
        }

        var informing = all.Select(i => i.RunAsync(cancellationToken)).ToList();
        // A workload kind whose CRD is not installed never syncs; until one has, its reads go to the server.
        await Task.WhenAll(rolloutInformer.Synced, appInformer.Synced, revisionInformer.Synced, definitionInformer.Synced).WaitAsync(cancellationToken);
        // TraitDefinitions may not be installed (a cluster with an older CRD set): until they sync, reads go to the server.
        await traitInformer.Synced.WaitAsync(TimeSpan.FromSeconds(5), time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        await Task.WhenAll(workloadInformers.Select(i => i.Synced).Append(analysisInformer.Synced).Append(workloadKindInformer.Synced)).WaitAsync(TimeSpan.FromSeconds(5), time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        cancellationToken.ThrowIfCancellationRequested();
        // Declared kinds are known before any rollout is reconciled: a restarted controller must not take a declared kind for an unknown one.
        foreach (var declaration in workloadKindInformer.Keys())
        {
            try
            {
                await workloadKinds.ReconcileAsync(declaration, cancellationToken);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException)
            {
                logger.LogWarning("WorkloadKind {Key} not checked yet (will retry): {Error}", declaration, e.Message);
                workloadKindQueue.Add(declaration);
            }
        }

        logger.LogInformation("caches synced: {Rollouts} rollouts, {Apps} applications; {Workers} workers", rolloutInformer.Count, appInformer.Count, options.Workers);

        var tasks = new List<Task>(informing)
        {
            recorder.RunAsync(cancellationToken),
            notifier.RunAsync(cancellationToken),
            rolloutQueue.RunAsync(options.Workers, Timed("approllout", rollouts.ReconcileAsync), (key, e) => logger.LogWarning("reconcile of rollout {Key} failed (will retry): {Error}", key, e.Message), cancellationToken),
            appQueue.RunAsync(Math.Max(1, options.Workers / 2), Timed("application", applications.ReconcileAsync), (key, e) => logger.LogWarning("reconcile of application {Key} failed (will retry): {Error}", key, e.Message), cancellationToken),
            healthQueue.RunAsync(1, Timed("application-health", applications.RefreshHealthAsync), (key, e) => logger.LogWarning("health of application {Key} not refreshed (will retry): {Error}", key, e.Message), cancellationToken),
            workloadKindQueue.RunAsync(1, Timed("workloadkind", workloadKinds.ReconcileAsync), (key, e) => logger.LogWarning("reconcile of WorkloadKind {Key} failed (will retry): {Error}", key, e.Message), cancellationToken),
            analysisQueue.RunAsync(Math.Max(1, options.AnalysisWorkers), Timed("analysisrun", analysisRuns.ReconcileAsync), (key, e) => logger.LogWarning("reconcile of analysis run {Key} failed (will retry): {Error}", key, e.Message), cancellationToken),
        };
        if (options.PollInterval is { } interval)
        {
            tasks.Add(PollAsync(rolloutInformer, rolloutQueue, interval, cancellationToken));
        }

        await Task.WhenAll(tasks);
    }

    IEnumerable<Measurement<long>> IMetricsSource.Leader() => [new(IsLeader ? 1 : 0, new KeyValuePair<string, object?>("identity", options.Identity))];

    /// <summary>The reconcile, measured: its duration and whether it failed (<see cref="SluiceMetrics.Reconciled"/>).</summary>
    private static Func<ObjectKey, CancellationToken, Task<TimeSpan?>> Timed(string controller, Func<ObjectKey, CancellationToken, Task<TimeSpan?>> reconcile)
    {
        SluiceMetrics.ControllerStarted(controller);
        return async (key, cancellationToken) =>
        {
            var started = Stopwatch.GetTimestamp();
            var failed = true;
            try
            {
                var after = await reconcile(key, cancellationToken);
                failed = false;
                return after;
            }
            finally
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    SluiceMetrics.Reconciled(controller, Stopwatch.GetElapsedTime(started), failed);
                }
            }
        };
    }

    /// <summary>High for a rollout under way (or being deleted), Normal for one to start or that has finished.</summary>
    private static WorkPriority RolloutPriority(JsonObject rollout) =>
        JsonPath.Get(rollout, "metadata.deletionTimestamp") is not null
        || JsonPath.String(rollout, "status.rollingState") is { } state && !UnstartedOrDone.Contains(state)
            ? WorkPriority.High
            : WorkPriority.Normal;

    private async Task PollAsync(Informer rollouts, WorkQueue<ObjectKey> queue, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
        {
            foreach (var rollout in rollouts.Keys())
            {
                queue.Add(rollout);
            }
        }
    }

    private async Task<HealthEndpoint?> StartHealthAsync(CancellationToken cancellationToken)
    {
        if (options.HealthPort is not { } port)
        {
            healthStarted.TrySetResult(null);
            return null;
        }

        try
        {
            var endpoint = await HealthEndpoint.StartAsync(options.HealthAddress, port, () => state, cancellationToken);
            HealthUrl = endpoint.Url;
            healthStarted.TrySetResult(endpoint.Url);
            return endpoint;
        }
        catch (Exception e)
        {
            healthStarted.TrySetException(e);
            throw;
        }
    }
}
