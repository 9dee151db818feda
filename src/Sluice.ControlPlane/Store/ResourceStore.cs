using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Defaulting;
using Sluice.ControlPlane.Schema;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// <see cref="IResourceStore"/> on SQLite with group commit. A writer validates and computes its
/// change under the store lock against the latest view (committed objects plus writes still waiting
/// for their fsync), takes the next resourceVersion and stages the change; a committer thread takes
/// everything staged, writes it in one SQLite transaction (one fsync), then, under the lock, applies
/// it to the committed view, publishes the watch events in resourceVersion order and releases the
/// writers. A write is acknowledged (the call returns) only once it is durable; readers (get, list,
/// watch, the resourceVersion) see the committed view only, so nothing a crash could lose is ever
/// shown. A write that fails, or changes nothing, still waits until every write it was decided
/// against is durable, so no answer rests on state a crash could undo. If a transaction fails, its
/// writers and every write staged after it (decided against it) fail with 500 and the latest view
/// is rolled back to the committed one.
/// </summary>
internal sealed partial class ResourceStore : IResourceStore, IDisposable
{
    private const string ForegroundFinalizer = "foregroundDeletion";
    private readonly object _gate = new();
    private readonly SqlitePersistence _db;
    private readonly WatchHub _hub;
    private readonly TimeProvider _time;
    private readonly ObjectIndex _committed = new();
    private readonly Dictionary<string, (GroupResource Resource, string Ns, string Name)> _byUid = [];
    private readonly Queue<(long ResourceVersion, TaskCompletionSource Durable)> _waiters = new();
    private readonly Dictionary<GroupResource, long> _changedAt = [];
    private readonly Dictionary<string, HashSet<(GroupResource Resource, string Ns, string Name)>> _byOwner = [];
    private readonly int _historyLimit;
    private readonly Thread _committer;
    private ObjectIndex _latest;
    private List<StagedWrite> _staged = [];
    private long _rv;
    private long _durableRv;
    private bool _closing;

    public ResourceStore(string databasePath, TimeProvider time, int historyLimit = 10_000, int watcherCapacity = 10_000)
    {
        _time = time;
        _db = new SqlitePersistence(databasePath);
        _hub = new WatchHub(historyLimit, watcherCapacity);
        _historyLimit = historyLimit;
        var (rv, rows) = _db.Load();
        foreach (var row in rows)
        {
            var resource = ParseResource(row.Resource);
            var utf8 = System.Text.Encoding.UTF8.GetBytes(row.Body);
            var obj = JsonNode.Parse(utf8)!.AsObject();
            StoredText.Remember(obj, utf8);
            _committed.Set(resource, row.Namespace, row.Name, obj);
            _byUid[Meta.Uid(obj)] = (resource, row.Namespace, row.Name);
            IndexOwners(resource, row.Namespace, row.Name, null, obj);
            if (resource == BuiltInResources.Crds)
            {
                Registry.ApplyCrd(row.Name, obj);
            }
        }
        _latest = _committed.Clone();
        _rv = rv;
        _durableRv = rv;
        _hub.Reset(rv);
        LoadHistory(rv);
        _committer = new Thread(CommitLoop) { IsBackground = true, Name = "sluice-store-committer" };
        _committer.Start();
    }

    public ResourceRegistry Registry { get; } = new();

    /// <summary>
    /// Loads the persisted watch history (the changes up to <paramref name="rv"/> within the window), so that watches
    /// resume and past lists are served across a restart. Kept only when it reaches the current version without a gap.
    /// </summary>
    private void LoadHistory(long rv)
    {
        var rows = _db.LoadEvents(rv - _historyLimit);
        if (rows.Count == 0 || rows[^1].ResourceVersion != rv)
        {
            return;
        }
        for (var i = 1; i < rows.Count; i++)
        {
            if (rows[i].ResourceVersion != rows[i - 1].ResourceVersion + 1)
            {
                rows = rows[i..];
                i = 0;
            }
        }
        var events = rows.Select(row =>
        {
            var obj = JsonNode.Parse(row.Body)!.AsObject();
            StoredText.Remember(obj, row.Body);
            JsonObject? previous = null;
            if (row.Previous is { } before)
            {
                previous = JsonNode.Parse(before)!.AsObject();
                StoredText.Remember(previous, before);
            }
            return new WatchEvent(row.Type, ParseResource(row.Resource), row.ResourceVersion, obj) { Previous = previous };
        }).ToList();
        _hub.Preload(events, rows[0].ResourceVersion - 1);
    }

    private static GroupResource ParseResource(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return new GroupResource(text[..slash], text[(slash + 1)..]);
    }

    /// <summary>The resourceVersion of the latest durable write.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _durableRv;
            }
        }
    }

    /// <summary>The resourceVersion of the latest staged write, durable or not (for tests and diagnostics).</summary>
    internal long LatestResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _rv;
            }
        }
    }

    /// <summary>
    /// A test hook: runs on the committer thread before each batch is written, with the batch's size.
    /// Blocking in it holds the batch back; throwing from it fails the batch as a failed transaction would.
    /// </summary>
    internal Action<int>? BeforeBatchCommit { get; set; }

    public JsonObject Get(GroupResource resource, string? ns, string name)
    {
        lock (_gate)
        {
            return _committed.Find(resource, ns, name)?.DeepClone().AsObject() ?? throw Errors.NotFound(resource, name);
        }
    }

    /// <summary>The stored object itself, read-only (for the HTTP front, which serializes its kept text).</summary>
    internal JsonObject GetShared(GroupResource resource, string? ns, string name)
    {
        lock (_gate)
        {
            return _committed.Find(resource, ns, name) ?? throw Errors.NotFound(resource, name);
        }
    }

    public ObjectList List(GroupResource resource, string? ns, ObjectFilter? filter = null)
    {
        filter ??= ObjectFilter.All;
        lock (_gate)
        {
            var items = _committed.Of(resource)
                .Where(kv => string.IsNullOrEmpty(ns) || kv.Key.Ns == ns)
                .Select(kv => kv.Value)
                .Where(filter.Matches)
                .Select(o => o.DeepClone().AsObject())
                .ToList();
            return new ObjectList(items, _durableRv);
        }
    }

    /// <summary>
    /// One chunk of a list with kube-apiserver's semantics: consistent at one resourceVersion across chunks (the
    /// current one, or the one a <c>continue</c> token or <c>resourceVersionMatch=Exact</c> names, rebuilt from the watch
    /// history: 410 Expired when the history no longer reaches back that far), ordered by namespace and name, at most
    /// <c>limit</c> items (0: all). A version newer than the store's is 504 (too large resource version).
    /// </summary>
    /// <param name="shared">Return the stored objects themselves, read-only, instead of copies (for the HTTP front).</param>
    public ObjectPage ListPage(GroupResource resource, string? ns, ObjectFilter? filter, ListOptions options) => ListPage(resource, ns, filter, options, shared: false);

    internal ObjectPage ListPage(GroupResource resource, string? ns, ObjectFilter? filter, ListOptions options, bool shared)
    {
        filter ??= ObjectFilter.All;
        long? exact = null;
        (string Ns, string Name)? after = null;
        if (options.Continue is { Length: > 0 } token)
        {
            if (!string.IsNullOrEmpty(options.ResourceVersion) && options.ResourceVersion != "0")
            {
                throw Errors.BadRequest("specifying resource version is not allowed when using continue");
            }
            var (rv, startNs, startName) = ContinueToken.Decode(token);
            exact = rv;
            after = (startNs, startName);
        }
        else if (!string.IsNullOrEmpty(options.ResourceVersionMatch))
        {
            if (string.IsNullOrEmpty(options.ResourceVersion))
            {
                throw Errors.BadRequest("resourceVersionMatch is forbidden unless resourceVersion is provided");
            }
            if (options.ResourceVersionMatch is not ("Exact" or "NotOlderThan"))
            {
                throw Errors.BadRequest($"resourceVersionMatch: Unsupported value: \"{options.ResourceVersionMatch}\": supported values: \"Exact\", \"NotOlderThan\"");
            }
            if (options.ResourceVersionMatch == "Exact" && options.ResourceVersion == "0")
            {
                throw Errors.BadRequest("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"");
            }
        }
        long? atLeast = null;
        if (exact is null && !string.IsNullOrEmpty(options.ResourceVersion) && options.ResourceVersion != "0")
        {
            var rv = Meta.ParseResourceVersion(options.ResourceVersion);
            if (rv < 0)
            {
                throw Errors.BadRequest($"invalid resource version: \"{options.ResourceVersion}\"");
            }
            if (options.ResourceVersionMatch == "Exact")
            {
                exact = rv;
            }
            else
            {
                atLeast = rv;
            }
        }
        if (options.Limit < 0)
        {
            throw Errors.BadRequest($"limit: Invalid value: {options.Limit}: must be greater than or equal to 0");
        }
        WaitForVersion(exact ?? atLeast ?? 0);
        lock (_gate)
        {
            var at = exact ?? _durableRv;
            var objects = (IEnumerable<KeyValuePair<(string Ns, string Name), JsonObject>>)_committed.Of(resource);
            if (at < _durableRv)
            {
                if (at < _hub.Floor)
                {
                    throw options.Continue is { Length: > 0 }
                        ? Errors.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.")
                        : Errors.Gone($"too old resource version: {at} ({_hub.Floor})");
                }
                objects = StateAt(resource, at);
            }
            var matching = objects
                .Where(kv => string.IsNullOrEmpty(ns) || kv.Key.Ns == ns)
                .Where(kv => after is not { } start || ObjectIndex.KeyOrder.Compare(kv.Key, start) > 0)
                .Where(kv => filter.Matches(kv.Value));
            var items = new List<JsonObject>();
            (string Ns, string Name) last = ("", "");
            long remaining = 0;
            foreach (var (key, value) in matching)
            {
                if (options.Limit > 0 && items.Count >= options.Limit)
                {
                    remaining++;
                    if (!filter.IsEmpty)
                    {
                        break;
                    }
                    continue;
                }
                items.Add(shared ? value : value.DeepClone().AsObject());
                last = key;
            }
            var more = remaining > 0;
            return new ObjectPage(items, at, more ? ContinueToken.Encode(at, last.Ns, last.Name) : null, more && filter.IsEmpty ? remaining : null);
        }
    }

    /// <summary>Waits (up to 3 s, as kube-apiserver does) for a resourceVersion a client saw to be readable; 504 if it never is.</summary>
    private void WaitForVersion(long rv)
    {
        if (rv <= 0)
        {
            return;
        }
        Task durable;
        lock (_gate)
        {
            if (rv > _rv)
            {
                throw new ApiException(new ApiStatus(504, "Timeout", $"Too large resource version: {rv}, current: {_durableRv}", RetryAfterSeconds: 1));
            }
            durable = WhenDurable(rv);
        }
        if (!durable.Wait(TimeSpan.FromSeconds(3)))
        {
            throw new ApiException(new ApiStatus(504, "Timeout", $"Too large resource version: {rv}, current: {ResourceVersion}", RetryAfterSeconds: 1));
        }
    }

    /// <summary>
    /// A resource's objects as they were at <paramref name="rv"/> (within the history), by key: the committed objects,
    /// with every key changed since taken back to its state before the first change after rv. Under the lock.
    /// </summary>
    private SortedDictionary<(string Ns, string Name), JsonObject> StateAt(GroupResource resource, long rv)
    {
        var state = new SortedDictionary<(string Ns, string Name), JsonObject>(_committed.Of(resource), ObjectIndex.KeyOrder);
        var seen = new HashSet<(string, string)>();
        foreach (var change in _hub.After(rv))
        {
            if (change.Resource != resource)
            {
                continue;
            }
            var key = (Meta.Namespace(change.Object), Meta.Name(change.Object));
            if (!seen.Add(key))
            {
                continue;
            }
            if (change.Previous is { } before)
            {
                state[key] = before;
            }
            else
            {
                state.Remove(key);
            }
        }
        return state;
    }

    public JsonObject Create(GroupResource resource, string? ns, JsonObject obj, WriteOptions? options = null) =>
        CreateAsync(resource, ns, obj, options).GetAwaiter().GetResult();

    /// <summary>As <see cref="Create"/>, completing when the write is durable (for the HTTP front: no thread waits).</summary>
    /// <param name="shared">
    /// The caller hands over <paramref name="obj"/> (parsed for this request, not used elsewhere) and takes back the stored
    /// object itself, read-only, instead of a copy: the HTTP front, which only serializes it (one copy fewer each way).
    /// </param>
    internal Task<JsonObject> CreateAsync(GroupResource resource, string? ns, JsonObject obj, WriteOptions? options = null, bool shared = false)
    {
        options ??= WriteOptions.Default;
        var type = RequireType(resource);
        var next = shared ? obj : Normalize(obj);
        return WriteAsync(() =>
        {
            var meta = Meta.Of(next);
            ns = ResolveNamespace(type, ns, next);
            var name = Meta.Name(next);
            if (name.Length == 0 && Meta.Str(next, "generateName") is { Length: > 0 } prefix)
            {
                do
                {
                    name = prefix + RandomSuffix();
                }
                while (_latest.Find(resource, ns, name) is not null);
                meta["name"] = name;
            }
            ValidateName(type, name);
            if (_latest.Find(resource, ns, name) is not null)
            {
                throw Errors.AlreadyExists(resource, name);
            }
            next["apiVersion"] = type.ApiVersion;
            next["kind"] = type.Kind;
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Meta.Timestamp(_time.GetUtcNow());
            meta.Remove("deletionTimestamp");
            meta.Remove("deletionGracePeriodSeconds");
            meta.Remove("resourceVersion");
            if (TracksGeneration(type))
            {
                meta["generation"] = 1;
            }
            if (type.HasStatus && (type.IsCustom || type.Group.Length > 0))
            {
                next.Remove("status");
            }
            BuiltInDefaults.Apply(type, next);
            BuiltInDefaults.OnCreate(type, next);
            if (resource == BuiltInResources.Namespaces)
            {
                next["status"] = new JsonObject { ["phase"] = "Active" };
            }
            if (resource == BuiltInResources.Crds)
            {
                CrdRules.Validate(next);
                next["status"] = CrdRules.EstablishedStatus(next, _time.GetUtcNow());
            }
            ValidateSchema(type, next, options);
            Stage(resource, ns ?? "", name, next, "ADDED", null, options.DryRun);
            return shared ? next : next.DeepClone().AsObject();
        });
    }

    public JsonObject Update(GroupResource resource, string? ns, JsonObject obj, UpdateScope scope = UpdateScope.Main, WriteOptions? options = null)
    {
        var proposed = Normalize(obj);
        var name = Meta.Name(proposed);
        return Mutate(resource, ns, name, _ => proposed, scope, options);
    }

    public JsonObject Mutate(GroupResource resource, string? ns, string name, Func<JsonObject, JsonObject> change,
        UpdateScope scope = UpdateScope.Main, WriteOptions? options = null) =>
        MutateAsync(resource, ns, name, change, scope, options).GetAwaiter().GetResult();

    /// <summary>As <see cref="Mutate"/>, completing when the write is durable.</summary>
    /// <param name="shared">As for <see cref="CreateAsync"/>: <paramref name="change"/> returns an object of its own, and the stored result comes back read-only.</param>
    internal Task<JsonObject> MutateAsync(GroupResource resource, string? ns, string name, Func<JsonObject, JsonObject> change,
        UpdateScope scope = UpdateScope.Main, WriteOptions? options = null, bool shared = false)
    {
        options ??= WriteOptions.Default;
        var type = Registry.Find(resource);
        return WriteAsync(() =>
        {
            var key = type is { Namespaced: false } ? "" : ns ?? "";
            var current = _latest.Find(resource, key, name) ?? throw Errors.NotFound(resource, name);
            var changed = change(current.DeepClone().AsObject());
            var proposed = shared ? changed : Normalize(changed);
            if (Meta.Name(proposed) is { Length: > 0 } proposedName && proposedName != name)
            {
                throw Errors.BadRequest($"the name of the object ({proposedName}) does not match the name on the URL ({name})");
            }
            var precondition = Meta.Str(proposed, "resourceVersion");
            if (precondition.Length > 0 && precondition != Meta.Str(current, "resourceVersion"))
            {
                throw Errors.Modified(resource, name);
            }
            var next = scope == UpdateScope.Status
                ? WithStatusFrom(current, proposed)
                : WithMainFrom(type, current, proposed);
            if (type is not null)
            {
                ValidateSchema(type, next, options, current);
            }
            if (resource == BuiltInResources.Crds)
            {
                CrdRules.Validate(next);
            }
            Meta.Of(next)["resourceVersion"] = Meta.Str(current, "resourceVersion");
            if (JsonNode.DeepEquals(next, current))
            {
                return shared ? current : current.DeepClone().AsObject();
            }
            if (Meta.Str(next, "deletionTimestamp").Length > 0 && Meta.Finalizers(next).Count == 0 && DeletionGrace(next) == 0)
            {
                Stage(resource, key, name, null, "DELETED", current, options.DryRun, shown: next);
                return next;
            }
            Stage(resource, key, name, next, "MODIFIED", current, options.DryRun);
            return shared ? next : next.DeepClone().AsObject();
        });
    }

    public DeleteResult Delete(GroupResource resource, string? ns, string name, DeleteOptions? options = null) =>
        DeleteAsync(resource, ns, name, options).GetAwaiter().GetResult();

    /// <summary>As <see cref="Delete"/>, completing when the write is durable.</summary>
    internal Task<DeleteResult> DeleteAsync(GroupResource resource, string? ns, string name, DeleteOptions? options = null)
    {
        options ??= DeleteOptions.Default;
        var type = Registry.Find(resource);
        return WriteAsync(() =>
        {
            var key = type is { Namespaced: false } ? "" : ns ?? "";
            var current = _latest.Find(resource, key, name) ?? throw Errors.NotFound(resource, name);
            if (options.PreconditionUid is { Length: > 0 } uid && uid != Meta.Uid(current))
            {
                throw Errors.Conflict(resource, name,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Meta.Uid(current)}");
            }
            if (options.PreconditionResourceVersion is { Length: > 0 } rv && rv != Meta.Str(current, "resourceVersion"))
            {
                throw Errors.Conflict(resource, name,
                    $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {Meta.Str(current, "resourceVersion")}");
            }
            var policy = options.PropagationPolicy ?? "Background";
            if (policy is not ("Background" or "Foreground" or "Orphan"))
            {
                throw Errors.Invalid("DeleteOptions", "", "", [new StatusCause("FieldValueNotSupported",
                    $"Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"", "propagationPolicy")]);
            }
            if (options.GracePeriodSeconds is < 0)
            {
                throw Errors.Invalid("DeleteOptions", "", "", [new StatusCause("FieldValueInvalid",
                    $"Invalid value: {options.GracePeriodSeconds}: must be greater than or equal to 0", "gracePeriodSeconds")]);
            }
            if (policy == "Orphan" && !options.DryRun)
            {
                Orphan(Meta.Uid(current));
            }
            var next = current.DeepClone().AsObject();
            var finalizers = Meta.Finalizers(next);
            if (policy == "Foreground" && !finalizers.Contains(ForegroundFinalizer))
            {
                finalizers.Add(ForegroundFinalizer);
                Meta.SetFinalizers(next, finalizers);
            }
            var grace = resource == BuiltInResources.Pods ? PodGracePeriod(current, options) : 0;
            if (grace > 0)
            {
                // Graceful deletion (pods only, as kube-apiserver): the pod stays, terminating, until its kubelet removes it
                // once its containers stopped, or until a delete with grace 0. A later delete may only shorten the grace.
                var meta = Meta.Of(next);
                var deadline = _time.GetUtcNow().AddSeconds(grace);
                if (Meta.Str(current, "deletionTimestamp").Length == 0 || grace < DeletionGrace(current))
                {
                    meta["deletionTimestamp"] = Meta.Timestamp(deadline);
                    meta["deletionGracePeriodSeconds"] = grace;
                }
                if (!JsonNode.DeepEquals(next, current))
                {
                    Stage(resource, key, name, next, "MODIFIED", current, options.DryRun);
                }
                return new DeleteResult(next.DeepClone().AsObject(), Removed: false);
            }
            if (finalizers.Count > 0)
            {
                if (Meta.Str(next, "deletionTimestamp").Length == 0)
                {
                    var meta = Meta.Of(next);
                    meta["deletionTimestamp"] = Meta.Timestamp(_time.GetUtcNow());
                    meta["deletionGracePeriodSeconds"] = 0;
                    if (TracksGeneration(type))
                    {
                        meta["generation"] = Meta.Generation(next) + 1;
                    }
                }
                else if (DeletionGrace(next) > 0)
                {
                    // A terminating pod deleted with grace 0: what is left is waiting for its finalizers.
                    Meta.Of(next)["deletionGracePeriodSeconds"] = 0;
                }
                if (!JsonNode.DeepEquals(next, current))
                {
                    Stage(resource, key, name, next, "MODIFIED", current, options.DryRun);
                }
                return new DeleteResult(next.DeepClone().AsObject(), Removed: false);
            }
            Stage(resource, key, name, null, "DELETED", current, options.DryRun);
            return new DeleteResult(next, Removed: true);
        });
    }

    public WatchSubscription Watch(GroupResource resource, string? ns, string? resourceVersion, ObjectFilter? filter = null)
    {
        filter ??= ObjectFilter.All;
        long? from = null;
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != "0")
        {
            from = Meta.ParseResourceVersion(resourceVersion);
            if (from < 0)
            {
                throw Errors.BadRequest($"invalid resource version: \"{resourceVersion}\"");
            }
        }
        lock (_gate)
        {
            var initial = from is null
                ? _committed.Of(resource)
                    .Where(kv => string.IsNullOrEmpty(ns) || kv.Key.Ns == ns)
                    .Select(kv => kv.Value)
                    .Where(filter.Matches)
                    .OrderBy(o => Meta.ParseResourceVersion(Meta.Str(o, "resourceVersion")))
                    .Select(o => new WatchEvent("ADDED", resource, Meta.ParseResourceVersion(Meta.Str(o, "resourceVersion")), o.DeepClone().AsObject()))
                    .ToList()
                : [];
            return _hub.Subscribe(from, _durableRv, initial, e => Visible(e, resource, ns, filter));
        }
    }

    /// <summary>Every change to every resource, from now on (for the garbage collector).</summary>
    internal WatchSubscription WatchAll()
    {
        lock (_gate)
        {
            return _hub.Subscribe(null, _durableRv, [], e => e.Type == "BOOKMARK" ? null : e);
        }
    }

    /// <summary>Sends every watcher a BOOKMARK at the current (durable) resourceVersion.</summary>
    internal void EmitBookmarks()
    {
        lock (_gate)
        {
            _hub.Broadcast(new WatchEvent("BOOKMARK", new GroupResource("", ""), _durableRv, new JsonObject()));
        }
    }

    internal void CloseWatches() => _hub.CloseAll();

    /// <summary>Committed objects whose ownerReferences name <paramref name="ownerUid"/>.</summary>
    internal List<(GroupResource Resource, JsonObject Object)> Dependents(string ownerUid)
    {
        lock (_gate)
        {
            return !_byOwner.TryGetValue(ownerUid, out var keys) ? []
                : keys.Select(k => (k.Resource, Object: _committed.Find(k.Resource, k.Ns, k.Name)))
                    .Where(x => x.Object is not null)
                    .Select(x => (x.Resource, x.Object!.DeepClone().AsObject()))
                    .ToList();
        }
    }

    /// <summary>Keeps the committed view's index of dependents by owner uid up to date (an object changing from <paramref name="before"/> to <paramref name="after"/>). Under the lock.</summary>
    private void IndexOwners(GroupResource resource, string ns, string name, JsonObject? before, JsonObject? after)
    {
        var key = (resource, ns, name);
        foreach (var uid in OwnerUids(before))
        {
            if (_byOwner.TryGetValue(uid, out var keys) && keys.Remove(key) && keys.Count == 0)
            {
                _byOwner.Remove(uid);
            }
        }
        foreach (var uid in OwnerUids(after))
        {
            if (!_byOwner.TryGetValue(uid, out var keys))
            {
                _byOwner[uid] = keys = [];
            }
            keys.Add(key);
        }
    }

    private static IEnumerable<string> OwnerUids(JsonObject? obj) =>
        obj is null ? [] : Meta.OwnerReferences(obj).Select(r => r["uid"] is JsonValue v && v.TryGetValue<string>(out var uid) ? uid : "").Where(u => u.Length > 0);

    /// <summary>Whether a committed object has this uid (the garbage collector's test for a living owner).</summary>
    internal bool HasUid(string uid)
    {
        lock (_gate)
        {
            return uid.Length > 0 && _byUid.ContainsKey(uid);
        }
    }

    /// <summary>The committed objects that have owner references (shared, read-only), for the garbage collector's first pass.</summary>
    internal List<(GroupResource Resource, JsonObject Object)> AllWithOwners()
    {
        lock (_gate)
        {
            return _committed.All().Where(x => x.Object["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 }).ToList();
        }
    }

    internal (GroupResource Resource, JsonObject Object)? FindByUid(string uid)
    {
        lock (_gate)
        {
            return _byUid.TryGetValue(uid, out var at) && _committed.Find(at.Resource, at.Ns, at.Name) is { } obj
                ? (at.Resource, obj.DeepClone().AsObject())
                : null;
        }
    }

    internal List<(GroupResource Resource, JsonObject Object)> AllInNamespace(string ns)
    {
        lock (_gate)
        {
            return _committed.All()
                .Where(x => Meta.Namespace(x.Object) == ns)
                .Select(x => (x.Resource, x.Object.DeepClone().AsObject()))
                .ToList();
        }
    }

    /// <summary>The resourceVersion of the latest committed change to any of <paramref name="resources"/> (0 when none since start).</summary>
    internal long LastChangeOf(params GroupResource[] resources)
    {
        lock (_gate)
        {
            return resources.Max(r => _changedAt.GetValueOrDefault(r));
        }
    }

    /// <summary>The committed objects of a resource, shared and read-only (never change them): for in-plane readers such as the authorizer.</summary>
    internal List<JsonObject> Committed(GroupResource resource)
    {
        lock (_gate)
        {
            return [.. _committed.Of(resource).Values];
        }
    }

    /// <summary>The committed object of a resource by namespace and name, shared and read-only (never change it), or null.</summary>
    internal JsonObject? CommittedObject(GroupResource resource, string? ns, string name)
    {
        lock (_gate)
        {
            return _committed.Find(resource, ns, name);
        }
    }

    internal List<JsonObject> AllOf(GroupResource resource)
    {
        lock (_gate)
        {
            return _committed.Of(resource).Select(kv => kv.Value.DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>Commits what is staged, stops the committer, ends the watches and closes the database.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }
            _closing = true;
            Monitor.PulseAll(_gate);
        }
        _committer.Join();
        _hub.CloseAll();
        _db.Dispose();
    }

    /// <summary>
    /// Runs <paramref name="decide"/> under the store lock (it validates, computes and stages), then
    /// completes once everything the decision saw is durable: the staged change itself, or, when the
    /// decision failed or changed nothing, the writes staged before it. A write nested in another
    /// (from a <see cref="Mutate"/> change function) does not wait: the enclosing write waits for it.
    /// </summary>
    private Task<T> WriteAsync<T>(Func<T> decide)
    {
        var nested = Monitor.IsEntered(_gate);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        Task durable;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            try
            {
                result = decide();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            durable = nested ? Task.CompletedTask : WhenDurable(_rv);
        }
        return durable.IsCompletedSuccessfully
            ? failure is null ? Task.FromResult(result) : Task.FromException<T>(failure.SourceException)
            : AfterAsync(durable, result, failure);

        static async Task<T> AfterAsync(Task durable, T result, ExceptionDispatchInfo? failure)
        {
            await durable.ConfigureAwait(false);
            failure?.Throw();
            return result;
        }
    }

    /// <summary>Completes when <paramref name="rv"/> is durable (and published). Under the lock.</summary>
    private Task WhenDurable(long rv)
    {
        if (rv <= _durableRv)
        {
            return Task.CompletedTask;
        }
        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue((rv, durable));
        return durable.Task;
    }

    /// <summary>
    /// Assigns the next resourceVersion to a change, applies it to the latest view and stages it for
    /// the committer (unless it is a dry run). Under the lock.
    /// </summary>
    private void Stage(GroupResource resource, string ns, string name, JsonObject? next, string eventType, JsonObject? previous, bool dryRun, JsonObject? shown = null)
    {
        var rv = _rv + 1;
        byte[]? utf8 = null;
        if (next is not null)
        {
            Meta.Of(next)["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
            utf8 = StoredText.Serialize(next);
            // The stored object is the parsed text (so numbers compare and convert uniformly), and its text is kept.
            var canonical = JsonNode.Parse(utf8)!.AsObject();
            next.Clear();
            foreach (var (key, value) in canonical.ToList())
            {
                canonical.Remove(key);
                next[key] = value;
            }
            StoredText.Remember(next, utf8);
        }
        if (next is null)
        {
            shown = shown?.DeepClone().AsObject() ?? previous!.DeepClone().AsObject();
            Meta.Of(shown)["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            shown = next;
        }
        if (dryRun)
        {
            return;
        }
        _rv = rv;
        _latest.Set(resource, ns, name, next);
        if (resource == BuiltInResources.Crds)
        {
            ApplyToRegistry(name, next);
        }
        _staged.Add(new StagedWrite(resource, ns, name, rv, next, utf8, new WatchEvent(eventType, resource, rv, shown) { Previous = previous })
        {
            PreviousUid = previous is null ? null : Meta.Uid(previous),
        });
        if (_staged.Count == 1)
        {
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>
    /// The group committer: takes everything staged, writes it in one transaction, then publishes it
    /// in resourceVersion order and releases its writers; on failure, fails them and rolls back.
    /// </summary>
    private void CommitLoop()
    {
        while (true)
        {
            List<StagedWrite> batch;
            lock (_gate)
            {
                while (_staged.Count == 0 && !_closing)
                {
                    Monitor.Wait(_gate);
                }
                if (_staged.Count == 0)
                {
                    return;
                }
                batch = _staged;
                _staged = [];
            }
            Exception? failure = null;
            try
            {
                BeforeBatchCommit?.Invoke(batch.Count);
                _db.WriteBatch(batch.ConvertAll(w => new SqlitePersistence.Change(
                    $"{w.Resource.Group}/{w.Resource.Resource}", w.Namespace, w.Name, w.ResourceVersion,
                    w.Body is null ? null : System.Text.Encoding.UTF8.GetString(w.Body),
                    w.Event.Type, w.Body ?? StoredText.Of(w.Event.Object), w.Event.Previous is { } before ? StoredText.Of(before) : null)), _historyLimit);
            }
            catch (Exception e)
            {
                failure = e;
            }
            List<TaskCompletionSource> released = [];
            lock (_gate)
            {
                if (failure is null)
                {
                    Publish(batch);
                    while (_waiters.TryPeek(out var waiter) && waiter.ResourceVersion <= _durableRv)
                    {
                        released.Add(_waiters.Dequeue().Durable);
                    }
                }
                else
                {
                    RollBack(batch);
                    while (_waiters.TryDequeue(out var waiter))
                    {
                        released.Add(waiter.Durable);
                    }
                }
            }
            var error = failure is null ? null : new ApiException(Errors.Internal($"the store could not commit the write: {failure.Message}"));
            foreach (var durable in released)
            {
                if (error is null)
                {
                    durable.SetResult();
                }
                else
                {
                    durable.SetException(error);
                }
            }
        }
    }

    /// <summary>A durable batch becomes visible: committed view, uid index, watch events in order. Under the lock.</summary>
    private void Publish(List<StagedWrite> batch)
    {
        foreach (var write in batch)
        {
            IndexOwners(write.Resource, write.Namespace, write.Name, _committed.Find(write.Resource, write.Namespace, write.Name), write.Next);
            _committed.Set(write.Resource, write.Namespace, write.Name, write.Next);
            if (write.PreviousUid is { } previousUid)
            {
                _byUid.Remove(previousUid);
            }
            if (write.Next is { } next)
            {
                _byUid[Meta.Uid(next)] = (write.Resource, write.Namespace, write.Name);
            }
            _changedAt[write.Resource] = write.ResourceVersion;
            _hub.Publish(write.Event);
        }
        _durableRv = batch[^1].ResourceVersion;
    }

    /// <summary>
    /// A batch failed: it and every write staged after it (decided against it) are dropped; the latest
    /// view, the version counter and the served CRDs go back to the committed state. Under the lock.
    /// </summary>
    private void RollBack(List<StagedWrite> batch)
    {
        var dropped = batch.Concat(_staged).ToList();
        _staged = [];
        _latest = _committed.Clone();
        _rv = _durableRv;
        foreach (var crd in dropped.Where(w => w.Resource == BuiltInResources.Crds).Select(w => w.Name).Distinct())
        {
            ApplyToRegistry(crd, _committed.Find(BuiltInResources.Crds, "", crd));
        }
    }

    private void ApplyToRegistry(string crdName, JsonObject? crd)
    {
        if (crd is null)
        {
            Registry.RemoveCrd(crdName);
        }
        else
        {
            Registry.ApplyCrd(crdName, crd);
        }
    }

    private static List<(GroupResource Resource, JsonObject Object)> DependentsIn(ObjectIndex view, string ownerUid) =>
        view.All()
            .Where(x => Meta.OwnerReferences(x.Object).Any(r => r["uid"]?.GetValue<string>() == ownerUid))
            .Select(x => (x.Resource, x.Object.DeepClone().AsObject()))
            .ToList();

    private void Orphan(string ownerUid)
    {
        foreach (var (resource, dependent) in DependentsIn(_latest, ownerUid))
        {
            var kept = Meta.OwnerReferences(dependent).Where(r => r["uid"]?.GetValue<string>() != ownerUid)
                .Select(r => (JsonNode?)r.DeepClone()).ToArray();
            var next = dependent.DeepClone().AsObject();
            if (kept.Length == 0)
            {
                Meta.Of(next).Remove("ownerReferences");
            }
            else
            {
                Meta.Of(next)["ownerReferences"] = new JsonArray(kept);
            }
            Stage(resource, Meta.Namespace(dependent), Meta.Name(dependent), next, "MODIFIED", dependent, dryRun: false);
        }
    }

    private static WatchEvent? Visible(WatchEvent e, GroupResource resource, string? ns, ObjectFilter filter)
    {
        if (e.Type == "BOOKMARK")
        {
            return e;
        }
        if (e.Resource != resource || (!string.IsNullOrEmpty(ns) && Meta.Namespace(e.Object) != ns))
        {
            return null;
        }
        if (filter.IsEmpty)
        {
            return e;
        }
        var now = e.Type != "DELETED" && filter.Matches(e.Object);
        var before = e.Previous is { } p && filter.Matches(p);
        return (before, now, e.Type) switch
        {
            (_, false, "DELETED") => before ? e : null,
            (true, true, _) => e,
            (false, true, _) => e with { Type = "ADDED" },
            (true, false, _) => e with { Type = "DELETED" },
            _ => null,
        };
    }

    private static JsonObject WithStatusFrom(JsonObject current, JsonObject proposed)
    {
        var next = current.DeepClone().AsObject();
        if (proposed["status"] is { } status)
        {
            next["status"] = status.DeepClone();
        }
        else
        {
            next.Remove("status");
        }
        return next;
    }

    /// <summary>The proposed object (a private copy: changed in place) with what a main-resource write may not change taken from the current one.</summary>
    private JsonObject WithMainFrom(ResourceType? type, JsonObject current, JsonObject proposed)
    {
        var next = proposed;
        if (type is not null)
        {
            BuiltInDefaults.Apply(type, next);
        }
        var meta = Meta.Of(next);
        var was = Meta.Of(current);
        foreach (var field in new[] { "uid", "creationTimestamp", "name", "namespace", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (was[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
            else
            {
                meta.Remove(field);
            }
        }
        if (meta["generateName"] is null && was["generateName"] is { } generateName)
        {
            meta["generateName"] = generateName.DeepClone();
        }
        next["apiVersion"] = current["apiVersion"]?.DeepClone();
        next["kind"] = current["kind"]?.DeepClone();
        if (type is { HasStatus: true })
        {
            if (current["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
            else
            {
                next.Remove("status");
            }
        }
        if (TracksGeneration(type) && !SameSpec(type, current, next))
        {
            meta["generation"] = Meta.Generation(current) + 1;
        }
        return next;
    }

    /// <summary>Whether two objects agree on what counts as "spec" for generation: everything but metadata (and status when it is a subresource).</summary>
    private static bool SameSpec(ResourceType? type, JsonObject a, JsonObject b)
    {
        bool Counts(string key) => key != "metadata" && !(key == "status" && type is { HasStatus: true });
        var keys = a.Select(kv => kv.Key).Where(Counts).ToList();
        return keys.Count == b.Count(kv => Counts(kv.Key)) && keys.All(k => b.ContainsKey(k) && JsonNode.DeepEquals(a[k], b[k]));
    }

    /// <summary>
    /// A pod's grace period for this delete: the one asked for, else its <c>terminationGracePeriodSeconds</c> (30 by
    /// default); 0 for a pod no node runs (nothing to stop) or one that already ended, as kube-apiserver decides.
    /// </summary>
    private static long PodGracePeriod(JsonObject pod, DeleteOptions options)
    {
        if (pod["spec"]?["nodeName"] is not JsonValue node || !node.TryGetValue<string>(out var nodeName) || nodeName.Length == 0)
        {
            return 0;
        }
        if (pod["status"]?["phase"] is JsonValue phase && phase.TryGetValue<string>(out var p) && p is "Succeeded" or "Failed")
        {
            return 0;
        }
        if (options.GracePeriodSeconds is { } asked)
        {
            return asked;
        }
        return pod["spec"]?["terminationGracePeriodSeconds"] is JsonValue v && v.TryGetValue<long>(out var spec) && spec >= 0 ? spec : 30;
    }

    private static long DeletionGrace(JsonObject obj) =>
        obj["metadata"]?["deletionGracePeriodSeconds"] is JsonValue v && v.TryGetValue<long>(out var g) ? g : 0;

    private static bool TracksGeneration(ResourceType? type) => type is not null && (type.IsCustom || type.HasStatus);

    private ResourceType RequireType(GroupResource resource) =>
        Registry.Find(resource) ?? throw Errors.NotFoundPath("the server could not find the requested resource");

    private string? ResolveNamespace(ResourceType type, string? ns, JsonObject obj)
    {
        var meta = Meta.Of(obj);
        if (!type.Namespaced)
        {
            meta.Remove("namespace");
            return "";
        }
        var written = Meta.Namespace(obj);
        if (!string.IsNullOrEmpty(ns) && written.Length > 0 && written != ns)
        {
            throw Errors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        var resolved = string.IsNullOrEmpty(ns) ? (written.Length > 0 ? written : "default") : ns;
        if (_latest.Find(BuiltInResources.Namespaces, "", resolved) is null)
        {
            throw Errors.NotFound(BuiltInResources.Namespaces, resolved);
        }
        meta["namespace"] = resolved;
        return resolved;
    }

    private static void ValidateName(ResourceType type, string name)
    {
        if (name.Length == 0)
        {
            throw Errors.Invalid(type.Kind, type.Group, name,
                [new StatusCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name")]);
        }
        if (type.Group == "rbac.authorization.k8s.io")
        {
            // RBAC names are path segments (system:discovery, ...), as kube-apiserver validates them.
            if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('%', StringComparison.Ordinal))
            {
                throw Errors.Invalid(type.Kind, type.Group, name, [new StatusCause("FieldValueInvalid",
                    $"Invalid value: \"{name}\": may not be '.' or '..' and may not contain '/' or '%'", "metadata.name")]);
            }
            return;
        }
        if (name.Length > 253 || !NameRegex().IsMatch(name))
        {
            throw Errors.Invalid(type.Kind, type.Group, name, [new StatusCause("FieldValueInvalid",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                "metadata.name")]);
        }
    }

    private static void ValidateSchema(ResourceType type, JsonObject obj, WriteOptions options, JsonObject? old = null)
    {
        if (type.Schema is not { } schema)
        {
            return;
        }
        var unknown = SchemaValidator.Prune(schema, obj);
        if (unknown.Count > 0 && options.FieldValidation == "Strict")
        {
            throw Errors.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: "
                + string.Join(", ", unknown.Select(u => $"unknown field \"{u}\"")));
        }
        var errors = SchemaValidator.Validate(schema, obj, old);
        if (errors.Count > 0)
        {
            throw Errors.Invalid(type.Kind, type.Group, Meta.Name(obj), errors);
        }
    }

    /// <summary>A private copy in canonical form (parsed from text, so numbers compare and convert uniformly).</summary>
    private static JsonObject Normalize(JsonObject obj) =>
        JsonNode.Parse(obj.ToJsonString()) as JsonObject ?? throw Errors.BadRequest("expected a JSON object");

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
            }
        });
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex NameRegex();
}
