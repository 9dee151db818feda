using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Schema;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// <see cref="IResourceStore"/> on SQLite: objects live in memory for reads and are written through
/// to SQLite (one fsynced transaction per write) before a write is acknowledged or published to
/// watchers. One lock serializes writes, so resourceVersions are strictly increasing and watchers
/// see events in order.
/// </summary>
internal sealed partial class ResourceStore : IResourceStore, IDisposable
{
    private const string ForegroundFinalizer = "foregroundDeletion";
    private readonly object _gate = new();
    private readonly SqlitePersistence _db;
    private readonly WatchHub _hub;
    private readonly TimeProvider _time;
    private readonly Dictionary<GroupResource, SortedDictionary<(string Ns, string Name), JsonObject>> _objects = [];
    private readonly Dictionary<string, (GroupResource Resource, string Ns, string Name)> _byUid = [];
    private long _rv;

    public ResourceStore(string databasePath, TimeProvider time, int historyLimit = 10_000, int watcherCapacity = 10_000)
    {
        _time = time;
        _db = new SqlitePersistence(databasePath);
        _hub = new WatchHub(historyLimit, watcherCapacity);
        var (rv, rows) = _db.Load();
        foreach (var row in rows)
        {
            var slash = row.Resource.IndexOf('/', StringComparison.Ordinal);
            var resource = new GroupResource(row.Resource[..slash], row.Resource[(slash + 1)..]);
            var obj = JsonNode.Parse(row.Body)!.AsObject();
            Put(resource, row.Namespace, row.Name, obj);
            if (resource == BuiltInResources.Crds)
            {
                Registry.ApplyCrd(row.Name, obj);
            }
        }
        _rv = rv;
        _hub.Reset(rv);
    }

    public ResourceRegistry Registry { get; } = new();

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _rv;
            }
        }
    }

    public JsonObject Get(GroupResource resource, string? ns, string name)
    {
        lock (_gate)
        {
            return Find(resource, ns, name)?.DeepClone().AsObject() ?? throw Errors.NotFound(resource, name);
        }
    }

    public ObjectList List(GroupResource resource, string? ns, ObjectFilter? filter = null)
    {
        filter ??= ObjectFilter.All;
        lock (_gate)
        {
            var items = Objects(resource)
                .Where(kv => string.IsNullOrEmpty(ns) || kv.Key.Ns == ns)
                .Select(kv => kv.Value)
                .Where(filter.Matches)
                .Select(o => o.DeepClone().AsObject())
                .ToList();
            return new ObjectList(items, _rv);
        }
    }

    public JsonObject Create(GroupResource resource, string? ns, JsonObject obj, WriteOptions? options = null)
    {
        options ??= WriteOptions.Default;
        var type = RequireType(resource);
        var next = Normalize(obj);
        lock (_gate)
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
                while (Find(resource, ns, name) is not null);
                meta["name"] = name;
            }
            ValidateName(type, name);
            if (Find(resource, ns, name) is not null)
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
            if (type.HasStatus && (type.IsCustom || type.Group == "apps"))
            {
                next.Remove("status");
            }
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
            Commit(resource, ns ?? "", name, next, "ADDED", null, options.DryRun);
            return next.DeepClone().AsObject();
        }
    }

    public JsonObject Update(GroupResource resource, string? ns, JsonObject obj, UpdateScope scope = UpdateScope.Main, WriteOptions? options = null)
    {
        var proposed = Normalize(obj);
        var name = Meta.Name(proposed);
        return Mutate(resource, ns, name, _ => proposed, scope, options);
    }

    public JsonObject Mutate(GroupResource resource, string? ns, string name, Func<JsonObject, JsonObject> change,
        UpdateScope scope = UpdateScope.Main, WriteOptions? options = null)
    {
        options ??= WriteOptions.Default;
        var type = Registry.Find(resource);
        lock (_gate)
        {
            var key = type is { Namespaced: false } ? "" : ns ?? "";
            var current = Find(resource, key, name) ?? throw Errors.NotFound(resource, name);
            var proposed = Normalize(change(current.DeepClone().AsObject()));
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
                ValidateSchema(type, next, options);
            }
            if (resource == BuiltInResources.Crds)
            {
                CrdRules.Validate(next);
            }
            Meta.Of(next)["resourceVersion"] = Meta.Str(current, "resourceVersion");
            if (JsonNode.DeepEquals(next, current))
            {
                return current.DeepClone().AsObject();
            }
            if (Meta.Str(next, "deletionTimestamp").Length > 0 && Meta.Finalizers(next).Count == 0)
            {
                Commit(resource, key, name, null, "DELETED", current, options.DryRun, shown: next);
                return next;
            }
            Commit(resource, key, name, next, "MODIFIED", current, options.DryRun);
            return next.DeepClone().AsObject();
        }
    }

    public DeleteResult Delete(GroupResource resource, string? ns, string name, DeleteOptions? options = null)
    {
        options ??= DeleteOptions.Default;
        var type = Registry.Find(resource);
        lock (_gate)
        {
            var key = type is { Namespaced: false } ? "" : ns ?? "";
            var current = Find(resource, key, name) ?? throw Errors.NotFound(resource, name);
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
                if (!JsonNode.DeepEquals(next, current))
                {
                    Commit(resource, key, name, next, "MODIFIED", current, options.DryRun);
                }
                return new DeleteResult(next.DeepClone().AsObject(), Removed: false);
            }
            Commit(resource, key, name, null, "DELETED", current, options.DryRun);
            return new DeleteResult(next, Removed: true);
        }
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
                ? Objects(resource)
                    .Where(kv => string.IsNullOrEmpty(ns) || kv.Key.Ns == ns)
                    .Select(kv => kv.Value)
                    .Where(filter.Matches)
                    .OrderBy(o => Meta.ParseResourceVersion(Meta.Str(o, "resourceVersion")))
                    .Select(o => new WatchEvent("ADDED", resource, Meta.ParseResourceVersion(Meta.Str(o, "resourceVersion")), o.DeepClone().AsObject()))
                    .ToList()
                : [];
            return _hub.Subscribe(from, _rv, initial, e => Visible(e, resource, ns, filter));
        }
    }

    /// <summary>Every change to every resource, from now on (for the garbage collector).</summary>
    internal WatchSubscription WatchAll()
    {
        lock (_gate)
        {
            return _hub.Subscribe(null, _rv, [], e => e.Type == "BOOKMARK" ? null : e);
        }
    }

    /// <summary>Sends every watcher a BOOKMARK at the current resourceVersion.</summary>
    internal void EmitBookmarks()
    {
        lock (_gate)
        {
            _hub.Broadcast(new WatchEvent("BOOKMARK", new GroupResource("", ""), _rv, new JsonObject()));
        }
    }

    internal void CloseWatches() => _hub.CloseAll();

    /// <summary>Objects whose ownerReferences name <paramref name="ownerUid"/>.</summary>
    internal List<(GroupResource Resource, JsonObject Object)> Dependents(string ownerUid)
    {
        lock (_gate)
        {
            return _objects
                .SelectMany(r => r.Value.Values.Select(o => (r.Key, o)))
                .Where(x => Meta.OwnerReferences(x.o).Any(r => r["uid"]?.GetValue<string>() == ownerUid))
                .Select(x => (x.Key, x.o.DeepClone().AsObject()))
                .ToList();
        }
    }

    internal (GroupResource Resource, JsonObject Object)? FindByUid(string uid)
    {
        lock (_gate)
        {
            return _byUid.TryGetValue(uid, out var at) && Find(at.Resource, at.Ns, at.Name) is { } obj
                ? (at.Resource, obj.DeepClone().AsObject())
                : null;
        }
    }

    internal List<(GroupResource Resource, JsonObject Object)> AllInNamespace(string ns)
    {
        lock (_gate)
        {
            return _objects
                .SelectMany(r => r.Value.Where(kv => kv.Key.Ns == ns).Select(kv => (r.Key, kv.Value.DeepClone().AsObject())))
                .ToList();
        }
    }

    internal List<JsonObject> AllOf(GroupResource resource)
    {
        lock (_gate)
        {
            return Objects(resource).Select(kv => kv.Value.DeepClone().AsObject()).ToList();
        }
    }

    public void Dispose()
    {
        _hub.CloseAll();
        lock (_gate)
        {
            _db.Dispose();
        }
    }

    private void Commit(GroupResource resource, string ns, string name, JsonObject? next, string eventType, JsonObject? previous, bool dryRun, JsonObject? shown = null)
    {
        var rv = _rv + 1;
        if (next is not null)
        {
            Meta.Of(next)["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var canonical = Normalize(next);
            next.Clear();
            foreach (var (key, value) in canonical.ToList())
            {
                canonical.Remove(key);
                next[key] = value;
            }
        }
        shown = next ?? shown?.DeepClone().AsObject() ?? previous!.DeepClone().AsObject();
        Meta.Of(shown)["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (dryRun)
        {
            return;
        }
        _db.Write($"{resource.Group}/{resource.Resource}", ns, name, rv, next?.ToJsonString());
        _rv = rv;
        if (next is null)
        {
            Objects(resource).Remove((ns, name));
            _byUid.Remove(Meta.Uid(previous!));
        }
        else
        {
            Put(resource, ns, name, next);
        }
        if (resource == BuiltInResources.Crds)
        {
            if (next is null)
            {
                Registry.RemoveCrd(name);
            }
            else
            {
                Registry.ApplyCrd(name, next);
            }
        }
        _hub.Publish(new WatchEvent(eventType, resource, rv, shown.DeepClone().AsObject()) { Previous = previous });
    }

    private void Put(GroupResource resource, string ns, string name, JsonObject obj)
    {
        Objects(resource)[(ns, name)] = obj;
        _byUid[Meta.Uid(obj)] = (resource, ns, name);
    }

    private void Orphan(string ownerUid)
    {
        foreach (var (resource, dependent) in Dependents(ownerUid))
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
            Commit(resource, Meta.Namespace(dependent), Meta.Name(dependent), next, "MODIFIED", dependent, dryRun: false);
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

    private JsonObject WithMainFrom(ResourceType? type, JsonObject current, JsonObject proposed)
    {
        var next = proposed.DeepClone().AsObject();
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
        if (TracksGeneration(type) && !JsonNode.DeepEquals(Spec(type, current), Spec(type, next)))
        {
            meta["generation"] = Meta.Generation(current) + 1;
        }
        return next;
    }

    /// <summary>What counts as "spec" for generation: everything but metadata (and status when it is a subresource).</summary>
    private static JsonObject Spec(ResourceType? type, JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        copy.Remove("metadata");
        if (type is { HasStatus: true })
        {
            copy.Remove("status");
        }
        return copy;
    }

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
        if (Find(BuiltInResources.Namespaces, "", resolved) is null)
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
        if (name.Length > 253 || !NameRegex().IsMatch(name))
        {
            throw Errors.Invalid(type.Kind, type.Group, name, [new StatusCause("FieldValueInvalid",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                "metadata.name")]);
        }
    }

    private static void ValidateSchema(ResourceType type, JsonObject obj, WriteOptions options)
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
        var errors = SchemaValidator.Validate(schema, obj);
        if (errors.Count > 0)
        {
            throw Errors.Invalid(type.Kind, type.Group, Meta.Name(obj), errors);
        }
    }

    private JsonObject? Find(GroupResource resource, string? ns, string name) =>
        Objects(resource).TryGetValue((ns ?? "", name), out var obj) ? obj
        : string.IsNullOrEmpty(ns) ? null
        : Objects(resource).TryGetValue(("", name), out var clusterScoped) ? clusterScoped : null;

    private SortedDictionary<(string Ns, string Name), JsonObject> Objects(GroupResource resource)
    {
        if (!_objects.TryGetValue(resource, out var objects))
        {
            objects = [];
            _objects[resource] = objects;
        }
        return objects;
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
