using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.Simulator.Traffic;

/// <summary>
/// The embedded plane's simulated data plane. Every tick of its clock, the clients of each Service annotated with
/// <c>sim.sluice.dev/rps</c> (<see cref="ClientMix"/>) send that many requests per second, entering through whatever routes
/// to the Service (an HTTPRoute attached to an existing Gateway of any class, a VirtualService, an Ingress with its canary
/// Ingress) or straight to it. Each kind of request is routed as that router kind routes it (<see cref="HttpRouteRouting"/>,
/// <see cref="VirtualServiceRouting"/>, <see cref="IngressRouting"/>) to Services, whose endpoints it computes itself from
/// the pods their selectors select that are Ready and not being deleted; a Service without one answers 503 (failed by the
/// rollout). Pods answer by their fault (<c>error-rate</c>, <c>latency</c>). Requests are counted, not simulated one by one:
/// a tick's requests are shared out by weight exactly over time (<see cref="Splitter"/>), so measured shares are exact.
/// Results: <see cref="Report"/> (JSON at <c>/traffic</c>) and Istio's metrics (<see cref="WriteMetrics"/>, <c>/metrics</c>).
/// <code>
/// await using var traffic = await DataPlane.StartAsync(plane.Store, new DataPlaneOptions(), TimeProvider.System);
/// </code>
/// </summary>
public sealed class DataPlane : IAsyncDisposable
{
    private static readonly GroupResource Services = new("", "services");
    private static readonly GroupResource PodsResource = new("", "pods");
    private static readonly GroupResource HttpRoutes = new("gateway.networking.k8s.io", "httproutes");
    private static readonly GroupResource Gateways = new("gateway.networking.k8s.io", "gateways");
    private static readonly GroupResource VirtualServices = new("networking.istio.io", "virtualservices");
    private static readonly GroupResource Ingresses = new("networking.k8s.io", "ingresses");

    /// <summary>Segments kept per client population (the oldest go first).</summary>
    private const int MaxSegments = 5_000;

    private readonly Lock gate = new();
    private readonly CancellationTokenSource stop = new();
    private readonly TimeProvider time;
    private readonly ObjectCache<JsonObject> services;
    private readonly ObjectCache<PodEndpoint> pods;
    private readonly ObjectCache<JsonObject> httpRoutes;
    private readonly ObjectCache<JsonObject> gateways;
    private readonly ObjectCache<JsonObject> virtualServices;
    private readonly ObjectCache<JsonObject> ingresses;
    private readonly List<Task> tasks = [];
    private readonly Splitter splitter = new();
    private readonly Random random;
    private readonly IstioMetrics metrics = new();
    private readonly Dictionary<string, Population> populations = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Ns, string Hash), string> revisionsByHash = [];
    private ITimer? timer;
    private DateTimeOffset last;
    private string? error;
    private int disposed;

    private DataPlane(IResourceStore store, DataPlaneOptions options, TimeProvider time)
    {
        Options = options;
        this.time = time;
        random = new Random(options.Seed);
        services = new ObjectCache<JsonObject>(store, Services, o => o);
        pods = new ObjectCache<PodEndpoint>(store, PodsResource, PodEndpoint.From);
        httpRoutes = new ObjectCache<JsonObject>(store, HttpRoutes, o => o);
        gateways = new ObjectCache<JsonObject>(store, Gateways, o => o);
        virtualServices = new ObjectCache<JsonObject>(store, VirtualServices, o => o);
        ingresses = new ObjectCache<JsonObject>(store, Ingresses, o => o);
    }

    public DataPlaneOptions Options { get; }

    /// <summary>Starts watching the store and ticking; returns once the watch caches are filled.</summary>
    public static async Task<DataPlane> StartAsync(IResourceStore store, DataPlaneOptions options, TimeProvider time, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var plane = new DataPlane(store, options, time);
        foreach (var run in plane.Caches())
        {
            plane.tasks.Add(Task.Run(() => run(plane.stop.Token), CancellationToken.None));
        }

        try
        {
            await Task.WhenAll(plane.services.Synced, plane.pods.Synced, plane.httpRoutes.Synced, plane.gateways.Synced, plane.virtualServices.Synced, plane.ingresses.Synced)
                .WaitAsync(cancel).ConfigureAwait(false);
        }
        catch
        {
            await plane.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        plane.last = time.GetUtcNow();
        plane.timer = time.CreateTimer(_ => plane.Tick(), null, options.TickInterval, options.TickInterval);
        return plane;
    }

    /// <summary>What the requests did so far.</summary>
    public TrafficReport Report()
    {
        lock (gate)
        {
            return new TrafficReport(last, populations.Values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Freeze()).ToList()) { Error = error };
        }
    }

    /// <summary>Istio's metrics of the requests so far, in Prometheus's text format.</summary>
    public void WriteMetrics(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        lock (gate)
        {
            metrics.Write(writer);
        }
    }

    /// <summary>Waits until the data plane's caches hold what the store holds now (so the next tick routes by it).</summary>
    public async Task CatchUpAsync(TimeSpan? timeout = null, CancellationToken cancel = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        while (!(services.CaughtUp() && pods.CaughtUp() && httpRoutes.CaughtUp() && gateways.CaughtUp() && virtualServices.CaughtUp() && ingresses.CaughtUp()))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                throw new TimeoutException("the data plane's watch caches did not catch up with the store");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    /// <summary>The timer's tick: a step to now. A bug must not take the process down with it: it is kept for the report.</summary>
    private void Tick()
    {
        try
        {
            Step(time.GetUtcNow());
        }
        catch (Exception e)
        {
            lock (gate)
            {
                error = $"{time.GetUtcNow():O}: {e.GetType().Name}: {e.Message}";
            }
        }
    }

    /// <summary>Moves the clients' requests from the last step to <paramref name="now"/>.</summary>
    internal void Step(DateTimeOffset now)
    {
        lock (gate)
        {
            var elapsed = now - last;
            if (elapsed <= TimeSpan.Zero)
            {
                return;
            }

            var from = last;
            last = now;
            var clients = services.All().Where(s => Json.At(s.Item, "metadata", "annotations", ClientMix.RpsAnnotation) is not null).ToList();
            if (clients.Count == 0)
            {
                return;
            }

            var world = new World(this);
            foreach (var (ns, name, _, service) in clients)
            {
                var key = $"{ns}/{name}";
                var annotations = (Json.At(service, "metadata", "annotations") as JsonObject ?? [])
                    .Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
                var (mix, problem) = ClientMix.Parse(annotations);
                if (mix is null && problem is null)
                {
                    continue;
                }

                if (!populations.TryGetValue(key, out var population))
                {
                    populations[key] = population = new Population(key);
                }

                population.Problem = problem;
                if (mix is null)
                {
                    continue;
                }

                population.Rps = mix.Rps;
                population.Carry += (decimal)mix.Rps * (decimal)elapsed.TotalSeconds;
                var count = (long)decimal.Floor(population.Carry);
                population.Carry -= count;
                var entries = world.EntriesTo(new ServiceRef(ns, name), mix);
                population.Entries = entries.Select(e => e.Key).ToList();
                if (count == 0 || entries.Count == 0)
                {
                    continue;
                }

                population.Tally.Total.Sent += count;
                var perEntry = splitter.Split($"entries {key} {string.Join(',', population.Entries)}", count, entries.Select(_ => 1L).ToArray());
                for (var e = 0; e < entries.Count; e++)
                {
                    var perClass = splitter.Split($"classes {key} {entries[e].Key}", perEntry[e], mix.Classes.Select(c => c.ShareBasisPoints).ToArray());
                    for (var c = 0; c < mix.Classes.Count; c++)
                    {
                        if (perClass[c] > 0)
                        {
                            Send(world, population, entries[e], mix.Classes[c], mix.Path ?? entries[e].Path, perClass[c], from, now);
                        }
                    }
                }
            }

            splitter.Sweep(keep: 3_000);
        }
    }

    private IEnumerable<Func<CancellationToken, Task>> Caches() =>
        [services.RunAsync, pods.RunAsync, httpRoutes.RunAsync, gateways.RunAsync, virtualServices.RunAsync, ingresses.RunAsync];

    /// <summary><paramref name="count"/> requests of one kind through one entry, routed, delivered and counted.</summary>
    private void Send(World world, Population population, Entry entry, RequestClass request, string path, long count, DateTimeOffset from, DateTimeOffset now)
    {
        var decision = entry.Route(request, path);
        var segment = population.Segment(entry, request.Name, decision, world, from, now);
        var classTally = population.Class(request.Name);
        classTally.Total.Sent += count;
        segment.Tally.Total.Sent += count;
        var tallies = new Tallies(population.Tally, classTally, segment.Tally);
        var source = (entry.SourceWorkload, entry.SourceNamespace);
        if (decision.Outcome != RouteOutcome.Routed)
        {
            tallies.Add(null, t => t.NotRouted += count);
            var code = decision.Outcome == RouteOutcome.NoRoute ? "404" : "500";
            metrics.Add(new IstioMetrics.Labels("source", source.SourceWorkload, source.SourceNamespace, "unknown", "unknown", "unknown", "unknown", "unknown", "unknown", code, "NR"), count, Repeat(count, 0));
        }
        else
        {
            var split = splitter.Split($"route {population.Key} {entry.Key} {decision.Point} {request.Name} {string.Join(',', decision.Backends.Select(b => b.Service))}", count, decision.Backends.Select(b => b.Weight).ToArray());
            for (var b = 0; b < decision.Backends.Count; b++)
            {
                Deliver(world, tallies, source, decision.Backends[b].Service, split[b], mirrored: false);
            }
        }

        foreach (var (service, percent) in decision.Mirrors)
        {
            var copies = splitter.Share($"mirror {population.Key} {entry.Key} {decision.Point} {request.Name} {service}", count, percent);
            Deliver(world, tallies, source, service, copies, mirrored: true);
        }
    }

    /// <summary>Requests (or mirrored copies) to a Service: shared over its ready endpoints, answered by each pod's fault.</summary>
    private void Deliver(World world, Tallies tallies, (string Workload, string Namespace) source, ServiceRef service, long count, bool mirrored)
    {
        if (count <= 0)
        {
            return;
        }

        var fqdn = $"{service.Name}.{service.Namespace}.svc.cluster.local";
        var endpoints = world.Endpoints(service);
        if (endpoints.Count == 0)
        {
            var revision = world.RevisionSelectedBy(service);
            tallies.Add(revision, t =>
            {
                if (mirrored)
                {
                    t.Mirrored += count;
                    t.MirroredFailed += count;
                }
                else
                {
                    t.FailedNoEndpoint += count;
                }
            });
            if (!mirrored)
            {
                tallies.AddRevisionSent(revision, count);
            }

            metrics.Add(new IstioMetrics.Labels("source", source.Workload, source.Namespace, fqdn, service.Name, service.Namespace, "unknown", "unknown", "unknown", "503", "UH"), count, Repeat(count, 0));
            return;
        }

        var perPod = splitter.Split($"endpoints {service} {endpoints.Count}", count, endpoints.Select(_ => 1L).ToArray());
        for (var p = 0; p < endpoints.Count; p++)
        {
            var pod = endpoints[p];
            var requests = perPod[p];
            if (requests == 0)
            {
                continue;
            }

            var errors = splitter.Share($"errors {pod.Namespace}/{pod.Name}", requests, pod.ErrorRate);
            var ok = requests - errors;
            tallies.Add(pod.Version, t =>
            {
                if (mirrored)
                {
                    t.Mirrored += requests;
                    t.MirroredFailed += errors;
                }
                else
                {
                    t.Succeeded += ok;
                    t.Failed += errors;
                }
            });
            if (!mirrored)
            {
                tallies.AddRevisionSent(pod.Version, requests);
            }

            var latency = (pod.Latency ?? TimeSpan.FromMilliseconds(5)).TotalMilliseconds;
            var labels = new IstioMetrics.Labels("destination", source.Workload, source.Namespace, fqdn, service.Name, service.Namespace, pod.Workload, pod.Namespace, pod.Version, "200", "-");
            metrics.Add(labels, ok, Latencies(ok, latency));
            metrics.Add(labels with { ResponseCode = "500" }, errors, Latencies(errors, latency));
        }
    }

    /// <summary>Each request's duration: the pod's latency spread by half either way, from the seeded random source.</summary>
    private IEnumerable<double> Latencies(long count, double latency)
    {
        for (long i = 0; i < count; i++)
        {
            yield return latency * (0.5 + random.NextDouble());
        }
    }

    private static IEnumerable<double> Repeat(long count, double value)
    {
        for (long i = 0; i < count; i++)
        {
            yield return value;
        }
    }

    /// <summary>The tallies one request adds to: its population's, its kind's and its segment's.</summary>
    private readonly record struct Tallies(RevisionTally Population, RevisionTally Class, RevisionTally Segment)
    {
        /// <summary>Adds to the totals and, with a revision, to that revision's tallies.</summary>
        public void Add(string? revision, Action<Tally> change)
        {
            foreach (var tally in (RevisionTally[])[Population, Class, Segment])
            {
                change(tally.Total);
                if (revision is not null)
                {
                    change(tally.Revision(revision));
                }
            }
        }

        /// <summary>Requests meant for a revision (its Sent; the totals counted them when they were sent).</summary>
        public void AddRevisionSent(string revision, long count)
        {
            foreach (var tally in (RevisionTally[])[Population, Class, Segment])
            {
                tally.Revision(revision).Sent += count;
            }
        }
    }

    /// <summary>One tick's view of the caches, with the endpoints of each Service computed once.</summary>
    private sealed class World
    {
        private readonly DataPlane plane;
        private readonly Dictionary<string, List<PodEndpoint>> podsByNamespace;
        private readonly Dictionary<ServiceRef, (long Version, JsonObject Service)> servicesByRef = [];
        private readonly Dictionary<ServiceRef, List<PodEndpoint>> endpoints = [];
        private readonly List<(string Ns, string Name, long Version, JsonObject Item)> routes;
        private readonly List<(string Ns, string Name, long Version, JsonObject Item)> gatewayList;
        private readonly List<(string Ns, string Name, long Version, JsonObject Item)> virtualServiceList;
        private readonly List<(string Ns, string Name, long Version, JsonObject Item)> ingressList;

        public World(DataPlane plane)
        {
            this.plane = plane;
            podsByNamespace = plane.pods.All().GroupBy(p => p.Ns).ToDictionary(g => g.Key, g => g.Select(p => p.Item).OrderBy(p => p.Name, StringComparer.Ordinal).ToList());
            foreach (var pod in podsByNamespace.Values.SelectMany(p => p))
            {
                if (pod.TemplateHash is { } hash && pod.Version != "unknown")
                {
                    plane.revisionsByHash[(pod.Namespace, hash)] = pod.Version;
                }
            }

            foreach (var (ns, name, version, service) in plane.services.All())
            {
                servicesByRef[new ServiceRef(ns, name)] = (version, service);
            }

            routes = plane.httpRoutes.All();
            gatewayList = plane.gateways.All();
            virtualServiceList = plane.virtualServices.All();
            ingressList = plane.ingresses.All();
        }

        public long? VersionOf(ServiceRef service) => servicesByRef.TryGetValue(service, out var found) ? found.Version : null;

        /// <summary>Ready pods (not being deleted) the Service's selector selects, by name.</summary>
        public List<PodEndpoint> Endpoints(ServiceRef service)
        {
            if (endpoints.TryGetValue(service, out var found))
            {
                return found;
            }

            var selector = Selector(service);
            found = selector.Count == 0 || !podsByNamespace.TryGetValue(service.Namespace, out var candidates)
                ? []
                : candidates.Where(p => p.Ready && p.SelectedBy(selector)).ToList();
            endpoints[service] = found;
            return found;
        }

        /// <summary>The revision a Service meant to serve: its pods' when it selects one revision's hash, else "unknown".</summary>
        public string RevisionSelectedBy(ServiceRef service) =>
            Selector(service).TryGetValue(PodEndpoint.TemplateHashLabel, out var hash) && plane.revisionsByHash.TryGetValue((service.Namespace, hash), out var revision)
                ? revision
                : "unknown";

        public List<Entry> EntriesTo(ServiceRef service, ClientMix mix)
        {
            var entries = new List<Entry>();
            foreach (var (ns, name, version, route) in routes)
            {
                if (ns == service.Namespace && HttpRouteRouting.SendsTo(route, service) && AttachedGateway(route) is { } gateway)
                {
                    var host = (Json.At(route, "spec", "hostnames", "0") as JsonValue)?.GetValue<string>() is { } h ? (h.StartsWith("*.", StringComparison.Ordinal) ? "sim" + h[1..] : h) : "";
                    var versions = new Dictionary<string, long> { [$"HTTPRoute {ns}/{name}"] = version, [$"Gateway {gateway.Ns}/{gateway.Name}"] = gateway.Version };
                    entries.Add(new Entry("HTTPRoute", ns, name, host, HttpRouteRouting.PathTo(route, service), gateway.Name, gateway.Ns, versions,
                        (request, path) => HttpRouteRouting.Route(route, request, host, path)));
                }
            }

            foreach (var (ns, name, version, virtualService) in virtualServiceList)
            {
                if (ns == service.Namespace && VirtualServiceRouting.SendsTo(virtualService, service))
                {
                    var host = service.Name;
                    entries.Add(new Entry("VirtualService", ns, name, host, VirtualServiceRouting.PathTo(virtualService, service), "sim-client", ns,
                        new Dictionary<string, long> { [$"VirtualService {ns}/{name}"] = version },
                        (request, path) => VirtualServiceRouting.Route(virtualService, request, host, path)));
                }
            }

            foreach (var (ns, name, version, ingress) in ingressList)
            {
                if (ns == service.Namespace && !IngressRouting.IsCanary(ingress) && IngressRouting.SendsTo(ingress, service))
                {
                    var canaries = ingressList.Where(i => i.Ns == ns && IngressRouting.IsCanary(i.Item)).ToList();
                    var versions = new Dictionary<string, long> { [$"Ingress {ns}/{name}"] = version };
                    foreach (var canary in canaries)
                    {
                        versions[$"Ingress {ns}/{canary.Name}"] = canary.Version;
                    }

                    var (host, path) = IngressRouting.EntryTo(ingress, service);
                    var canaryObjects = canaries.Select(c => c.Item).ToList();
                    entries.Add(new Entry("Ingress", ns, name, host, path, "ingress-nginx-controller", "ingress-nginx", versions,
                        (request, p) => IngressRouting.Route(ingress, canaryObjects, request, host, p)));
                }
            }

            if (entries.Count == 0)
            {
                entries.Add(new Entry("Service", service.Namespace, service.Name, service.Name, "/", "sim-client", service.Namespace,
                    new Dictionary<string, long>(), (_, _) => RouteDecision.To(service, "service")));
            }

            return mix.Entries is { } wanted ? entries.Where(e => wanted.Contains(e.Selector)).ToList() : entries;
        }

        private Dictionary<string, string> Selector(ServiceRef service) =>
            servicesByRef.TryGetValue(service, out var found)
                ? (Json.At(found.Service, "spec", "selector") as JsonObject ?? []).Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
                : [];

        /// <summary>An existing Gateway a parentRef of the route names that admits it (allowedRoutes from Same or All), or null.</summary>
        private (string Ns, string Name, long Version)? AttachedGateway(JsonObject route)
        {
            var ns = Json.Namespace(route);
            foreach (var parent in (Json.At(route, "spec", "parentRefs") as JsonArray ?? []).OfType<JsonObject>())
            {
                if ((Json.Str(parent, "kind") is not ("" or "Gateway")) || (Json.Str(parent, "group") is not ("" or "gateway.networking.k8s.io")))
                {
                    continue;
                }

                var gatewayNs = Json.Str(parent, "namespace") is { Length: > 0 } other ? other : ns;
                var found = gatewayList.FirstOrDefault(g => g.Ns == gatewayNs && g.Name == Json.Str(parent, "name"));
                if (found.Item is null)
                {
                    continue;
                }

                var admits = (Json.At(found.Item, "spec", "listeners") as JsonArray ?? []).OfType<JsonObject>()
                    .Any(l => (Json.Str(l, "allowedRoutes", "namespaces", "from") is { Length: > 0 } from ? from : "Same") switch
                    {
                        "Same" => gatewayNs == ns,
                        _ => true,
                    });
                if (admits)
                {
                    return (found.Ns, found.Name, found.Version);
                }
            }

            return null;
        }
    }

    /// <summary>The clients of one Service: what they asked for and what happened to their requests.</summary>
    private sealed class Population(string key)
    {
        private readonly Dictionary<string, RevisionTally> classes = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Entry, string Class), SegmentState> current = [];
        private readonly List<SegmentState> closed = [];

        public string Key => key;

        public double Rps { get; set; }

        public string? Problem { get; set; }

        public decimal Carry { get; set; }

        public IReadOnlyList<string> Entries { get; set; } = [];

        public RevisionTally Tally { get; } = new();

        public RevisionTally Class(string name)
        {
            if (!classes.TryGetValue(name, out var tally))
            {
                classes[name] = tally = new RevisionTally();
            }

            return tally;
        }

        /// <summary>The segment these requests belong to: the current one for the entry and kind, or a new one when the routing changed.</summary>
        public SegmentState Segment(Entry entry, string requestClass, RouteDecision decision, World world, DateTimeOffset from, DateTimeOffset now)
        {
            var versions = new SortedDictionary<string, long>(entry.Versions.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
            foreach (var service in decision.Backends.Select(b => b.Service).Concat(decision.Mirrors.Select(m => m.Service)))
            {
                versions[$"Service {service}"] = world.VersionOf(service) ?? 0;
            }

            var signature = decision.Point + "|" + string.Join(",", versions.Select(v => $"{v.Key}@{v.Value}"));
            var key = (entry.Key, requestClass);
            if (current.TryGetValue(key, out var segment) && segment.Signature == signature)
            {
                segment.To = now;
                return segment;
            }

            if (segment is not null)
            {
                closed.Add(segment);
                if (closed.Count > MaxSegments)
                {
                    closed.RemoveAt(0);
                }
            }

            var total = decision.Backends.Sum(b => b.Weight);
            current[key] = segment = new SegmentState(entry.Key, requestClass, signature, from, now, decision.Point, versions,
                decision.Backends.GroupBy(b => b.Service.Name).ToDictionary(g => g.Key, g => total == 0 ? 0 : Math.Round(g.Sum(b => b.Weight) * 100.0 / total, 4), StringComparer.Ordinal),
                decision.Mirrors.GroupBy(m => m.Service.Name).ToDictionary(g => g.Key, g => g.Sum(m => m.Percent), StringComparer.Ordinal));
            return segment;
        }

        public PopulationReport Freeze() => new(
            key,
            Rps,
            Problem,
            Entries,
            Tally.Total.Freeze(),
            Tally.FreezeRevisions(),
            classes.OrderBy(c => c.Key == "plain" ? "" : c.Key, StringComparer.Ordinal).Select(c => new ClassReport(c.Key, c.Value.Total.Freeze(), c.Value.FreezeRevisions())).ToList(),
            closed.Concat(current.Values).OrderBy(s => s.From).ThenBy(s => s.Entry, StringComparer.Ordinal).ThenBy(s => s.Class, StringComparer.Ordinal).Select(s => s.Freeze()).ToList());
    }

    private sealed class SegmentState(
        string entry, string requestClass, string signature, DateTimeOffset from, DateTimeOffset to, string rule,
        IReadOnlyDictionary<string, long> versions, IReadOnlyDictionary<string, double> backends, IReadOnlyDictionary<string, double> mirrors)
    {
        public string Entry => entry;

        public string Class => requestClass;

        public string Signature => signature;

        public DateTimeOffset From => from;

        public DateTimeOffset To { get; set; } = to;

        public RevisionTally Tally { get; } = new();

        public TrafficSegment Freeze() =>
            new(entry, requestClass, from, To, rule, versions.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), backends, mirrors, Tally.Total.Freeze(), Tally.FreezeRevisions());
    }
}
