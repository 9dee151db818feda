using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Auth;
using Sluice.ControlPlane.Patching;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;
using Sluice.Manifests;

namespace Sluice.ControlPlane.Http;

/// <summary>
/// Authenticates and authorizes each request (bearer token, <c>--as</c> impersonation, RBAC), then routes it to
/// discovery, the store, patches, tables, watches or the authentication and authorization reviews.
/// </summary>
internal sealed class ApiHandler(ResourceStore store, TableConverter tables, TimeProvider time, RequestCounter requests,
    Authenticator authenticator, RbacAuthorizer authorizer, AuthApi auth)
{
    /// <summary>JSON as kube-apiserver writes it: quotes as \", not \u0022.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Output = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly string[] StatusFreeRoots = ["healthz", "livez", "readyz"];

    public async Task HandleAsync(HttpContext context, CancellationToken stopping)
    {
        try
        {
            var requester = authenticator.Authenticate(context.Request.Headers.Authorization.ToString());
            if (requester is null)
            {
                await WriteStatusAsync(context, Errors.Unauthorized()).ConfigureAwait(false);
                return;
            }
            var user = Impersonation.Apply(context.Request, requester, authorizer);
            await DispatchAsync(context, user, stopping).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            if (e.Status.Code == StatusCodes.Status409Conflict)
            {
                requests.AddConflict();
            }
            await WriteStatusAsync(context, e.Status).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteStatusAsync(context, Errors.TooLarge(ControlPlaneOptions.MaxRequestBodyBytes)).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            await WriteStatusAsync(context, new ApiStatus(e.StatusCode, "BadRequest", e.Message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await WriteStatusAsync(context, Errors.Internal(e.Message)).ConfigureAwait(false);
        }
    }

    public static async Task WriteStatusAsync(HttpContext context, ApiStatus status)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        await WriteJsonAsync(context, status.Code, status.ToJson()).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(Output), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task DispatchAsync(HttpContext context, UserInfo user, CancellationToken stopping)
    {
        var segments = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = context.Request.Method;
        if (!IsResourcePath(segments))
        {
            Authorize(user, RequestAttributes.ForPath(method.ToLowerInvariant() is "head" ? "get" : method.ToLowerInvariant(), context.Request.Path.Value ?? "/"));
        }
        if (segments.Length == 0)
        {
            await WriteJsonAsync(context, 200, new JsonObject { ["paths"] = new JsonArray("/api", "/api/v1", "/apis", "/version") }).ConfigureAwait(false);
            return;
        }
        if (segments.Length == 1 && StatusFreeRoots.Contains(segments[0]))
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok", stopping).ConfigureAwait(false);
            return;
        }
        if (segments is ["openapi", "v2"])
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = OpenApiV2.ProtobufMediaType;
            await context.Response.Body.WriteAsync(OpenApiV2.Protobuf, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (segments is ["openapi", "v3"])
        {
            await WriteJsonAsync(context, 200, OpenApiV3.Root(store.Registry)).ConfigureAwait(false);
            return;
        }
        if (segments is ["openapi", "v3", "api", var coreVersion])
        {
            await WriteJsonAsync(context, 200, OpenApiV3.Document(store.Registry, "", coreVersion) ?? throw NotFound()).ConfigureAwait(false);
            return;
        }
        if (segments is ["openapi", "v3", "apis", var openGroup, var openVersion])
        {
            await WriteJsonAsync(context, 200, OpenApiV3.Document(store.Registry, openGroup, openVersion) ?? throw NotFound()).ConfigureAwait(false);
            return;
        }
        if (segments is ["version"])
        {
            await WriteJsonAsync(context, 200, Discovery.Version()).ConfigureAwait(false);
            return;
        }
        string group;
        string version;
        string[] rest;
        switch (segments)
        {
            case ["api"]:
                await WriteJsonAsync(context, 200, Discovery.CoreVersions(context.Request.Host.Value ?? "127.0.0.1")).ConfigureAwait(false);
                return;
            case ["apis"]:
                await WriteJsonAsync(context, 200, Discovery.Groups(store.Registry)).ConfigureAwait(false);
                return;
            case ["apis", var g]:
                await WriteJsonAsync(context, 200, Discovery.Group(store.Registry, g) ?? throw NotFound()).ConfigureAwait(false);
                return;
            case ["api", "v1", ..]:
                (group, version, rest) = ("", "v1", segments[2..]);
                break;
            case ["apis", var g, var v, ..]:
                (group, version, rest) = (g, v, segments[3..]);
                break;
            default:
                throw NotFound();
        }
        if (rest.Length == 0)
        {
            await WriteJsonAsync(context, 200, Discovery.Resources(store.Registry, group, version) ?? throw NotFound()).ConfigureAwait(false);
            return;
        }
        var request = Parse(group, version, rest);
        var verb = Verb(method, request, context);
        Authorize(user, RequestAttributes.ForResource(verb, request.Type.Group, request.Type.Plural, request.Subresource ?? "",
            request.Type.GroupResource == BuiltInResources.Namespaces && request.Name is not null ? request.Name : request.Namespace ?? "",
            request.Name ?? ""));
        requests.Add(verb, request.Type.GroupResource.Resource, request.Subresource);
        if (request.Type.IsVirtual || request.Subresource == "token")
        {
            await ReviewAsync(context, request, user).ConfigureAwait(false);
            return;
        }
        switch (method)
        {
            case "GET" when request.Name is null:
                if (IsTrue(context.Request.Query["watch"]))
                {
                    await WatchAsync(context, request, stopping).ConfigureAwait(false);
                }
                else
                {
                    await ListAsync(context, request).ConfigureAwait(false);
                }
                return;
            case "GET":
                await GetAsync(context, request).ConfigureAwait(false);
                return;
            case "POST" when request.Name is null:
                await CreateAsync(context, request).ConfigureAwait(false);
                return;
            case "PUT" when request.Name is not null:
                await UpdateAsync(context, request).ConfigureAwait(false);
                return;
            case "PATCH" when request.Name is not null:
                await PatchAsync(context, request).ConfigureAwait(false);
                return;
            case "DELETE" when request.Name is not null:
                await DeleteAsync(context, request).ConfigureAwait(false);
                return;
            case "DELETE":
                await DeleteCollectionAsync(context, request).ConfigureAwait(false);
                return;
            default:
                throw new ApiException(new ApiStatus(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource"));
        }
    }

    /// <summary>Resource requests are <c>/api/v1/...</c> and <c>/apis/{g}/{v}/...</c> below the discovery documents.</summary>
    private static bool IsResourcePath(string[] segments) =>
        segments is ["api", "v1", _, ..] || segments is ["apis", _, _, _, ..];

    private void Authorize(UserInfo user, RequestAttributes request)
    {
        if (!authorizer.Authorize(user, request).Allowed)
        {
            throw Errors.Forbidden(user, request);
        }
    }

    private async Task ReviewAsync(HttpContext context, ApiRequest request, UserInfo user)
    {
        if (context.Request.Method != "POST" || (request.Name is not null && request.Subresource != "token"))
        {
            throw Errors.MethodNotSupported(request.Type.GroupResource, Verb(context.Request.Method, request, context));
        }
        var body = RequestBody.RequireObject(await RequestBody.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false) ?? new JsonObject(),
            request.Subresource == "token" ? "TokenRequest" : request.Type.Kind);
        JsonObject answer;
        if (request.Subresource == "token")
        {
            CheckKind("TokenRequest", "authentication.k8s.io/v1", body);
            answer = auth.TokenRequest(request.Namespace ?? "", request.Name!, body);
        }
        else
        {
            CheckKind(request.Type, body);
            answer = auth.Review(request.Type, request.Namespace, body, user);
        }
        await WriteJsonAsync(context, 201, answer).ConfigureAwait(false);
    }

    private static string Verb(string method, ApiRequest request, HttpContext context) => method switch
    {
        "GET" when request.Name is null => IsTrue(context.Request.Query["watch"]) ? "watch" : "list",
        "GET" => "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" when request.Name is null => "deletecollection",
        "DELETE" => "delete",
        _ => method.ToLowerInvariant(),
    };

    private ApiRequest Parse(string group, string version, string[] rest)
    {
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }
        if (rest.Length > 3)
        {
            throw NotFound();
        }
        var type = store.Registry.Find(group, version, rest[0]) ?? throw NotFound();
        if (ns is not null && !type.Namespaced)
        {
            throw NotFound();
        }
        var subresource = rest.Length == 3 ? rest[2] : null;
        if (subresource is not null && !((subresource == "status" && type.HasStatus) || (subresource == "scale" && type.Scale is not null)
            || (subresource == "token" && type.GroupResource == BuiltInResources.ServiceAccounts)))
        {
            throw NotFound();
        }
        return new ApiRequest(type, ns, rest.Length >= 2 ? rest[1] : null, subresource);
    }

    private async Task ListAsync(HttpContext context, ApiRequest request)
    {
        var filter = Filter(context);
        var query = context.Request.Query;
        var limit = 0L;
        if (query["limit"].ToString() is { Length: > 0 } limitText && !long.TryParse(limitText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit))
        {
            throw Errors.BadRequest($"limit: Invalid value: \"{limitText}\": must be an integer");
        }
        var page = store.ListPage(request.Type.GroupResource, request.Namespace, filter,
            new ListOptions(limit, query["continue"], query["resourceVersion"], query["resourceVersionMatch"]), shared: true);
        var metadata = new JsonObject { ["resourceVersion"] = Rv(page.ResourceVersion) };
        if (page.Continue is not null)
        {
            metadata["continue"] = page.Continue;
            if (page.RemainingItemCount is { } remaining)
            {
                metadata["remainingItemCount"] = remaining;
            }
        }
        if (WantsTable(context))
        {
            var table = tables.Convert(request.Type, page.Items, page.ResourceVersion, query["includeObject"]);
            table["metadata"] = metadata;
            await WriteJsonAsync(context, 200, table).ConfigureAwait(false);
            return;
        }
        // The items are the stored objects, read-only: their kept text is written as it is, never re-serialized.
        using var buffer = new MemoryStream();
        buffer.Write(Encoding.UTF8.GetBytes(
            $"{{\"kind\":{JsonValue.Create(request.Type.ListKind).ToJsonString()},\"apiVersion\":{JsonValue.Create(request.Type.ApiVersion).ToJsonString()},\"metadata\":{metadata.ToJsonString(Output)},\"items\":["));
        for (var i = 0; i < page.Items.Count; i++)
        {
            if (i > 0)
            {
                buffer.WriteByte((byte)',');
            }
            buffer.Write(ServedAsIs(request.Type, page.Items[i]) ? StoredText.Of(page.Items[i]) : StoredText.Serialize(AsServed(request.Type, page.Items[i])));
        }
        buffer.Write("]}"u8);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task GetAsync(HttpContext context, ApiRequest request)
    {
        var obj = store.GetShared(request.Type.GroupResource, request.Namespace, request.Name!);
        if (request.Subresource == "scale")
        {
            await WriteJsonAsync(context, 200, Scale(request.Type, obj)).ConfigureAwait(false);
            return;
        }
        if (WantsTable(context))
        {
            await WriteJsonAsync(context, 200, tables.Convert(request.Type, [obj], Meta.ParseResourceVersion(Meta.Str(obj, "resourceVersion")), context.Request.Query["includeObject"])).ConfigureAwait(false);
            return;
        }
        await WriteObjectAsync(context, 200, request.Type, obj).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context, ApiRequest request)
    {
        if (request.Type.Namespaced && request.Namespace is null)
        {
            throw Errors.MethodNotSupported(request.Type.GroupResource, "create");
        }
        var body = RequestBody.RequireObject(await RequestBody.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false), request.Type.Kind);
        CheckKind(request.Type, body);
        ManagedFields.RecordUpdate(null, body, Manager(context), request.Type.ApiVersion, Meta.Timestamp(time.GetUtcNow()));
        var created = await store.CreateAsync(request.Type.GroupResource, request.Namespace, body, WriteOptionsOf(context), shared: true).ConfigureAwait(false);
        await WriteObjectAsync(context, 201, request.Type, created).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context, ApiRequest request)
    {
        var body = RequestBody.RequireObject(await RequestBody.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false), request.Type.Kind);
        var resource = request.Type.GroupResource;
        JsonObject result;
        if (request.Subresource == "scale")
        {
            result = await WriteScaleAsync(request, body, context).ConfigureAwait(false);
        }
        else
        {
            CheckKind(request.Type, body);
            if (Meta.Name(body) is { Length: > 0 } name && name != request.Name)
            {
                throw Errors.BadRequest($"the name of the object ({name}) does not match the name on the URL ({request.Name})");
            }
            Meta.Of(body)["name"] = request.Name;
            var scope = request.Subresource == "status" ? UpdateScope.Status : UpdateScope.Main;
            result = AsServed(request.Type, await store.MutateAsync(resource, request.Namespace, request.Name!,
                Tracked(context, request.Type, current =>
                {
                    // The managed fields are the server's: an update takes ownership of what it changes.
                    if (current["metadata"]?["managedFields"] is { } managed)
                    {
                        Meta.Of(body)["managedFields"] = managed.DeepClone();
                    }
                    else
                    {
                        Meta.Of(body).Remove("managedFields");
                    }
                    return body;
                }), scope, WriteOptionsOf(context), shared: true).ConfigureAwait(false));
        }
        if (request.Subresource == "scale")
        {
            await WriteJsonAsync(context, 200, result).ConfigureAwait(false);
        }
        else
        {
            await WriteObjectAsync(context, 200, request.Type, result).ConfigureAwait(false);
        }
    }

    private async Task PatchAsync(HttpContext context, ApiRequest request)
    {
        var mediaType = RequestBody.MediaType(context.Request);
        var text = await RequestBody.ReadTextAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var resource = request.Type.GroupResource;
        var options = WriteOptionsOf(context);
        if (mediaType == "application/apply-patch+yaml")
        {
            await ApplyAsync(context, request, text, options).ConfigureAwait(false);
            return;
        }
        var patch = RequestBody.Parse(text, "application/json") ?? throw Errors.BadRequest("the patch is empty");
        Func<JsonObject, JsonObject> change = mediaType switch
        {
            "application/merge-patch+json" => current => AsObject(MergePatch.Apply(current, patch)),
            "application/json-patch+json" => current => AsObject(JsonPatch.Apply(current, patch)),
            "application/strategic-merge-patch+json" when !request.Type.IsCustom => current =>
                StrategicMergePatch.Apply(current, RequestBody.RequireObject(patch, "strategic merge patch")),
            "application/strategic-merge-patch+json" => throw Errors.UnsupportedMediaType(mediaType),
            _ => throw Errors.UnsupportedMediaType(mediaType),
        };
        JsonObject result;
        if (request.Subresource == "scale")
        {
            var current = store.Get(resource, request.Namespace, request.Name!);
            result = await WriteScaleAsync(request, change(Scale(request.Type, current)), context).ConfigureAwait(false);
        }
        else
        {
            var scope = request.Subresource == "status" ? UpdateScope.Status : UpdateScope.Main;
            result = AsServed(request.Type, await store.MutateAsync(resource, request.Namespace, request.Name!, Tracked(context, request.Type, change), scope, options, shared: true).ConfigureAwait(false));
        }
        if (request.Subresource == "scale")
        {
            await WriteJsonAsync(context, 200, result).ConfigureAwait(false);
        }
        else
        {
            await WriteObjectAsync(context, 200, request.Type, result).ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(HttpContext context, ApiRequest request, string text, WriteOptions options)
    {
        var applied = RequestBody.RequireObject(RequestBody.Parse(text, "application/apply-patch+yaml"), "apply configuration");
        var manager = context.Request.Query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            throw Errors.Invalid("Patch", "", request.Name!, [new StatusCause("FieldValueRequired",
                "Required value: is required for apply patch", "fieldManager")]);
        }
        CheckKind(request.Type, applied);
        if (Meta.Name(applied) != request.Name)
        {
            throw Errors.BadRequest($"the name of the object ({Meta.Name(applied)}) does not match the name on the URL ({request.Name})");
        }
        var resource = request.Type.GroupResource;
        var now = Meta.Timestamp(time.GetUtcNow());
        var builtIn = !request.Type.IsCustom;
        var force = IsTrue(context.Request.Query["force"]);
        var scope = request.Subresource == "status" ? UpdateScope.Status : UpdateScope.Main;
        JsonObject result;
        int code;
        try
        {
            result = await store.MutateAsync(resource, request.Namespace, request.Name!,
                current => ServerSideApply.Apply(current, applied, builtIn, manager, now, force), scope, options).ConfigureAwait(false);
            code = 200;
        }
        catch (ApiException e) when (e.Status.Code == 404 && e.Status.Reason == "NotFound" && request.Subresource is null)
        {
            result = await store.CreateAsync(resource, request.Namespace, ServerSideApply.Apply(null, applied, builtIn, manager, now, force), options).ConfigureAwait(false);
            code = 201;
        }
        await WriteJsonAsync(context, code, AsServed(request.Type, result)).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context, ApiRequest request)
    {
        var options = await DeleteOptionsOf(context).ConfigureAwait(false);
        var result = await store.DeleteAsync(request.Type.GroupResource, request.Namespace, request.Name!, options).ConfigureAwait(false);
        if (!result.Removed)
        {
            await WriteJsonAsync(context, 200, AsServed(request.Type, result.Object)).ConfigureAwait(false);
            return;
        }
        var details = new JsonObject
        {
            ["name"] = request.Name,
            ["kind"] = request.Type.Plural,
            ["uid"] = Meta.Uid(result.Object),
        };
        if (request.Type.Group.Length > 0)
        {
            details["group"] = request.Type.Group;
        }
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        }).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext context, ApiRequest request)
    {
        var options = await DeleteOptionsOf(context).ConfigureAwait(false);
        var list = store.List(request.Type.GroupResource, request.Namespace, Filter(context));
        var deleted = new JsonArray();
        foreach (var item in list.Items)
        {
            try
            {
                deleted.Add(AsServed(request.Type, (await store.DeleteAsync(request.Type.GroupResource, Meta.Namespace(item), Meta.Name(item), options).ConfigureAwait(false)).Object));
            }
            catch (ApiException e) when (e.Status.Code == 404)
            {
                // Deleted meanwhile (by the garbage collector, say).
            }
        }
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = request.Type.ListKind,
            ["apiVersion"] = request.Type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = Rv(store.ResourceVersion) },
            ["items"] = deleted,
        }).ConfigureAwait(false);
    }

    private async Task WatchAsync(HttpContext context, ApiRequest request, CancellationToken stopping)
    {
        var query = context.Request.Query;
        var bookmarks = IsTrue(query["allowWatchBookmarks"]);
        var table = WantsTable(context);
        string? includeObject = query["includeObject"];
        WatchSubscription subscription;
        try
        {
            subscription = store.Watch(request.Type.GroupResource, request.Namespace, query["resourceVersion"], Filter(context));
        }
        catch (ApiException e) when (e.Status.Code == 410)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject { ["type"] = "ERROR", ["object"] = e.Status.ToJson() }.ToJsonString(Output) + "\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        using var _ = subscription;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        if (int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            linked.CancelAfter(TimeSpan.FromSeconds(seconds));
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(linked.Token).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
        var first = true;
        try
        {
            await foreach (var change in subscription.Events.ReadAllAsync(linked.Token).ConfigureAwait(false))
            {
                if (!table && change.Type != "BOOKMARK" && ServedAsIs(request.Type, change.Object))
                {
                    // The stored text, serialized once for every watcher of this change.
                    await WriteEventAsync(context.Response.Body, change.Type, StoredText.Of(change.Object), linked.Token).ConfigureAwait(false);
                    continue;
                }
                JsonNode obj;
                if (change.Type == "BOOKMARK")
                {
                    if (!bookmarks)
                    {
                        continue;
                    }
                    obj = new JsonObject
                    {
                        ["kind"] = request.Type.Kind,
                        ["apiVersion"] = request.Type.ApiVersion,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = Rv(change.ResourceVersion) },
                    };
                }
                else
                {
                    obj = table
                        ? tables.Convert(request.Type, [change.Object], change.ResourceVersion, includeObject, withDefinitions: first)
                        : AsServed(request.Type, change.Object);
                    first = false;
                }
                // The event's object is shared by every watcher: serialize it in place, never adopt it into a new
                // parent (a JsonNode has one parent; the next watcher of the same event would throw and lose its stream).
                await WriteEventAsync(context.Response.Body, change.Type, StoredText.Serialize(obj), linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, the timeout passed, or the server is stopping: end the stream.
        }
    }

    /// <summary>Writes an object: its kept text when it is served as stored (one serialization for every reader), else serialized now.</summary>
    private static async Task WriteObjectAsync(HttpContext context, int code, ResourceType type, JsonObject obj)
    {
        if (!ServedAsIs(type, obj))
        {
            await WriteJsonAsync(context, code, AsServed(type, obj)).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(StoredText.Of(obj), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteEventAsync(Stream body, string type, byte[] obj, CancellationToken cancel)
    {
        var head = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        var line = new byte[head.Length + obj.Length + 2];
        head.CopyTo(line, 0);
        obj.CopyTo(line, head.Length);
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        await body.WriteAsync(line, cancel).ConfigureAwait(false);
        await body.FlushAsync(cancel).ConfigureAwait(false);
    }

    private static bool ServedAsIs(ResourceType type, JsonObject obj) =>
        obj["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var apiVersion) && apiVersion == type.ApiVersion;

    /// <summary>A change whose result records, in managedFields, what the request's manager changed.</summary>
    private Func<JsonObject, JsonObject> Tracked(HttpContext context, ResourceType type, Func<JsonObject, JsonObject> change)
    {
        var manager = Manager(context);
        var now = Meta.Timestamp(time.GetUtcNow());
        return current =>
        {
            var before = current.DeepClone().AsObject();
            var next = change(current);
            ManagedFields.RecordUpdate(before, next, manager, type.ApiVersion, now);
            return next;
        };
    }

    private static string Manager(HttpContext context) =>
        ManagedFields.ManagerOf(context.Request.Query["fieldManager"], context.Request.Headers.UserAgent.ToString());

    private async Task<JsonObject> WriteScaleAsync(ApiRequest request, JsonObject scale, HttpContext context)
    {
        if (scale["spec"]?["replicas"] is not JsonValue value || !value.TryGetValue<long>(out var replicas) || replicas < 0)
        {
            throw Errors.Invalid("Scale", "autoscaling", request.Name!,
                [new StatusCause("FieldValueInvalid", "Invalid value: must be greater than or equal to 0", "spec.replicas")]);
        }
        var precondition = Meta.Str(scale, "resourceVersion");
        var scalePath = request.Type.Scale!;
        var updated = await store.MutateAsync(request.Type.GroupResource, request.Namespace, request.Name!, Tracked(context, request.Type, current =>
        {
            if (precondition.Length > 0)
            {
                Meta.Of(current)["resourceVersion"] = precondition;
            }
            SetPath(current, scalePath.SpecReplicasPath, JsonValue.Create(replicas));
            return current;
        }), UpdateScope.Main, WriteOptionsOf(context)).ConfigureAwait(false);
        return Scale(request.Type, updated);
    }

    private static JsonObject Scale(ResourceType type, JsonObject obj)
    {
        var scale = type.Scale!;
        var selector = scale.LabelSelectorPath is { } path ? JsonPathLite.Evaluate(obj, path) : null;
        string selectorText = selector switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ when obj["spec"]?["selector"]?["matchLabels"] is JsonObject labels =>
                string.Join(",", labels.Select(kv => $"{kv.Key}={kv.Value}")),
            _ => "",
        };
        var status = new JsonObject { ["replicas"] = JsonPathLite.Evaluate(obj, scale.StatusReplicasPath)?.DeepClone() ?? 0 };
        if (selectorText.Length > 0)
        {
            status["selector"] = selectorText;
        }
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = Meta.Name(obj),
                ["namespace"] = Meta.Namespace(obj) is { Length: > 0 } ns ? ns : null,
                ["uid"] = Meta.Uid(obj),
                ["resourceVersion"] = Meta.Str(obj, "resourceVersion"),
                ["creationTimestamp"] = Meta.Str(obj, "creationTimestamp"),
            },
            ["spec"] = new JsonObject { ["replicas"] = JsonPathLite.Evaluate(obj, scale.SpecReplicasPath)?.DeepClone() ?? 0 },
            ["status"] = status,
        };
    }

    private static void SetPath(JsonObject obj, string path, JsonNode value)
    {
        var parts = path.TrimStart('.').Split('.');
        var node = obj;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }
            node = child;
        }
        node[parts[^1]] = value;
    }

    private static JsonObject AsServed(ResourceType type, JsonObject obj)
    {
        if (obj["apiVersion"]?.GetValue<string>() == type.ApiVersion)
        {
            return obj;
        }
        var copy = obj.DeepClone().AsObject();
        copy["apiVersion"] = type.ApiVersion;
        return copy;
    }

    private static void CheckKind(ResourceType type, JsonObject body) => CheckKind(type.Kind, type.ApiVersion, body);

    private static void CheckKind(string expectedKind, string expectedApiVersion, JsonObject body)
    {
        var kind = body["kind"] is JsonValue k && k.TryGetValue<string>(out var s) ? s : "";
        if (kind.Length > 0 && kind != expectedKind)
        {
            throw Errors.BadRequest($"the API version in the data ({body["apiVersion"]}) does not match the expected API version ({expectedApiVersion}) or the kind in the data ({kind}) does not match the expected kind ({expectedKind})");
        }
    }

    private static JsonObject AsObject(JsonNode? node) =>
        node as JsonObject ?? throw Errors.BadRequest("the patch did not produce an object");

    private static ObjectFilter Filter(HttpContext context) =>
        ObjectFilter.Parse(context.Request.Query["labelSelector"], context.Request.Query["fieldSelector"]);

    private static WriteOptions WriteOptionsOf(HttpContext context) =>
        new(context.Request.Query["dryRun"].Contains("All"), context.Request.Query["fieldManager"], context.Request.Query["fieldValidation"]);

    private static async Task<DeleteOptions> DeleteOptionsOf(HttpContext context)
    {
        var body = await RequestBody.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false) as JsonObject;
        var query = context.Request.Query;
        string? policy = body?["propagationPolicy"]?.GetValue<string>() ?? (string?)query["propagationPolicy"];
        if (policy is null && body?["orphanDependents"] is JsonValue orphan && orphan.GetValue<bool>())
        {
            policy = "Orphan";
        }
        var dryRun = query["dryRun"].Contains("All") || (body?["dryRun"] as JsonArray)?.Any(d => d?.GetValue<string>() == "All") == true;
        long? grace = body?["gracePeriodSeconds"] is JsonValue g && g.TryGetValue<long>(out var fromBody) ? fromBody
            : long.TryParse(query["gracePeriodSeconds"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var fromQuery) ? fromQuery
            : null;
        return new DeleteOptions(
            string.IsNullOrEmpty(policy) ? null : policy,
            body?["preconditions"]?["uid"]?.GetValue<string>(),
            body?["preconditions"]?["resourceVersion"]?.GetValue<string>(),
            dryRun,
            grace);
    }

    private static bool WantsTable(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is "true" or "1";

    private static string Rv(long rv) => rv.ToString(CultureInfo.InvariantCulture);

    private static ApiException NotFound() => Errors.NotFoundPath("the server could not find the requested resource");
}
