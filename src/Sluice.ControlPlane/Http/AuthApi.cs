using System.Text.Json.Nodes;
using Sluice.ControlPlane.Api;
using Sluice.ControlPlane.Auth;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane.Http;

/// <summary>
/// The API's authentication and authorization requests, none of them stored: TokenRequest
/// (<c>serviceaccounts/NAME/token</c>, <c>kubectl create token</c>), TokenReview, SelfSubjectReview
/// (<c>kubectl auth whoami</c>), SelfSubjectAccessReview (<c>kubectl auth can-i</c>), SelfSubjectRulesReview
/// (<c>kubectl auth can-i --list</c>), SubjectAccessReview and LocalSubjectAccessReview. Each answers with the
/// request and its <c>status</c>, 201 Created, as kube-apiserver does.
/// </summary>
internal sealed class AuthApi(ResourceStore store, ServiceAccountTokens tokens, RbacAuthorizer authorizer)
{
    /// <summary>kube-apiserver's default token lifetime, and the shortest it issues.</summary>
    private const long DefaultExpirationSeconds = 3600;
    private const long MinExpirationSeconds = 600;
    private const long MaxExpirationSeconds = 1L << 32;

    public JsonObject TokenRequest(string ns, string serviceAccount, JsonObject body)
    {
        var account = store.CommittedObject(BuiltInResources.ServiceAccounts, ns, serviceAccount)
            ?? throw Errors.NotFound(BuiltInResources.ServiceAccounts, serviceAccount);
        var spec = body["spec"] as JsonObject ?? [];
        var seconds = spec["expirationSeconds"] is JsonValue e && e.TryGetValue<long>(out var s) ? s : DefaultExpirationSeconds;
        if (seconds < MinExpirationSeconds)
        {
            throw Invalid("TokenRequest", "authentication.k8s.io", serviceAccount, "spec.expirationSeconds", $"Invalid value: {seconds}: may not specify a duration less than 10 minutes");
        }
        if (seconds > MaxExpirationSeconds)
        {
            throw Invalid("TokenRequest", "authentication.k8s.io", serviceAccount, "spec.expirationSeconds", $"Invalid value: {seconds}: may not specify a duration larger than 2^32 seconds");
        }
        var audiences = (spec["audiences"] as JsonArray ?? []).Select(a => a?.GetValue<string>() ?? "").Where(a => a.Length > 0).ToList();
        if (audiences.Count == 0)
        {
            audiences.Add(ServiceAccountTokens.Issuer);
        }
        ServiceAccountTokens.BoundObject? bound = null;
        if (spec["boundObjectRef"] is JsonObject boundRef)
        {
            var kind = Str(boundRef["kind"]);
            var name = Str(boundRef["name"]);
            var resource = kind switch
            {
                "Pod" => BuiltInResources.Pods,
                "Secret" => BuiltInResources.Secrets,
                _ => throw Invalid("TokenRequest", "authentication.k8s.io", serviceAccount, "spec.boundObjectRef.kind",
                    $"Unsupported value: \"{kind}\": supported values: \"Pod\", \"Secret\""),
            };
            var target = store.CommittedObject(resource, ns, name) ?? throw Errors.NotFound(resource, name);
            var uid = Str(boundRef["uid"]);
            if (uid.Length > 0 && uid != Meta.Uid(target))
            {
                throw Errors.Conflict(resource, name, $"the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated");
            }
            bound = new ServiceAccountTokens.BoundObject(kind, name, Meta.Uid(target));
            boundRef["uid"] = bound.Uid;
            boundRef["apiVersion"] = "v1";
        }
        var (token, expires) = tokens.Issue(ns, serviceAccount, Meta.Uid(account), audiences, TimeSpan.FromSeconds(seconds), bound);
        spec["audiences"] = new JsonArray(audiences.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray());
        spec["expirationSeconds"] = seconds;
        return Answer(body, "authentication.k8s.io/v1", "TokenRequest", new JsonObject
        {
            ["token"] = token,
            ["expirationTimestamp"] = Meta.Timestamp(expires),
        }, ns, serviceAccount, spec);
    }

    public JsonObject Review(ResourceType type, string? ns, JsonObject body, UserInfo requester) => type.Kind switch
    {
        "TokenReview" => TokenReview(body),
        "SelfSubjectReview" => Answer(body, type.ApiVersion, type.Kind, new JsonObject { ["userInfo"] = UserJson(requester) }),
        "SelfSubjectAccessReview" => AccessReview(body, type, requester, null),
        "SubjectAccessReview" => AccessReview(body, type, SubjectOf(body), null),
        "LocalSubjectAccessReview" => AccessReview(body, type, SubjectOf(body), ns),
        "SelfSubjectRulesReview" => RulesReview(body, type, requester),
        _ => throw Errors.MethodNotSupported(type.GroupResource, "create"),
    };

    private JsonObject TokenReview(JsonObject body)
    {
        var token = Str(body["spec"]?["token"]);
        var audiences = (body["spec"]?["audiences"] as JsonArray ?? []).Select(Str).Where(a => a.Length > 0).ToList();
        var (user, tokenAudiences, problem) = tokens.Validate(token, audiences.Count > 0 ? audiences[0] : ServiceAccountTokens.Issuer);
        var status = new JsonObject { ["authenticated"] = user is not null, ["user"] = user is null ? new JsonObject() : UserJson(user) };
        if (user is not null)
        {
            status["audiences"] = new JsonArray(tokenAudiences.Where(a => audiences.Count == 0 || audiences.Contains(a)).Select(a => (JsonNode?)JsonValue.Create(a)).ToArray());
        }
        else
        {
            status["error"] = problem;
        }
        return Answer(body, "authentication.k8s.io/v1", "TokenReview", status);
    }

    private JsonObject AccessReview(JsonObject body, ResourceType type, UserInfo subject, string? ns)
    {
        var spec = body["spec"] as JsonObject ?? [];
        RequestAttributes request;
        if (spec["resourceAttributes"] is JsonObject r)
        {
            var resourceNs = Str(r["namespace"]);
            if (ns is not null && resourceNs.Length > 0 && resourceNs != ns)
            {
                throw Invalid(type.Kind, type.Group, "", "spec.resourceAttributes.namespace", $"Invalid value: \"{resourceNs}\": must match metadata.namespace");
            }
            request = RequestAttributes.ForResource(Str(r["verb"]), Str(r["group"]), Str(r["resource"]), Str(r["subresource"]), ns ?? resourceNs, Str(r["name"]));
        }
        else if (spec["nonResourceAttributes"] is JsonObject n && ns is null)
        {
            request = RequestAttributes.ForPath(Str(n["verb"]), Str(n["path"]));
        }
        else
        {
            throw Invalid(type.Kind, type.Group, "", "spec.resourceAttributes", "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }
        var decision = authorizer.Authorize(subject, request);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }
        return Answer(body, type.ApiVersion, type.Kind, status, ns);
    }

    private JsonObject RulesReview(JsonObject body, ResourceType type, UserInfo requester)
    {
        var ns = Str(body["spec"]?["namespace"]);
        var rules = authorizer.RulesFor(requester, ns);
        return Answer(body, type.ApiVersion, type.Kind, new JsonObject
        {
            ["resourceRules"] = new JsonArray(rules.Where(r => r.NonResourceUrls.Count == 0).Select(r => (JsonNode?)Without(r.ToJson(), "nonResourceURLs")).ToArray()),
            ["nonResourceRules"] = new JsonArray(rules.Where(r => r.NonResourceUrls.Count > 0)
                .Select(r => (JsonNode?)new JsonObject { ["verbs"] = r.ToJson()["verbs"]!.DeepClone(), ["nonResourceURLs"] = r.ToJson()["nonResourceURLs"]!.DeepClone() }).ToArray()),
            ["incomplete"] = false,
        });
    }

    private static UserInfo SubjectOf(JsonObject body)
    {
        var spec = body["spec"] as JsonObject ?? [];
        var user = Str(spec["user"]);
        var groups = (spec["groups"] as JsonArray ?? []).Select(Str).Where(g => g.Length > 0).ToList();
        if (user.Length == 0 && groups.Count == 0)
        {
            throw Invalid("SubjectAccessReview", "authorization.k8s.io", "", "spec.user", "Required value: at least one of user or group must be specified");
        }
        return new UserInfo(user, Str(spec["uid"]), groups);
    }

    private static JsonObject UserJson(UserInfo user)
    {
        var json = new JsonObject { ["username"] = user.Name };
        if (user.Uid.Length > 0)
        {
            json["uid"] = user.Uid;
        }
        json["groups"] = new JsonArray(user.Groups.Select(g => (JsonNode?)JsonValue.Create(g)).ToArray());
        return json;
    }

    private static JsonObject Answer(JsonObject body, string apiVersion, string kind, JsonObject status, string? ns = null, string? name = null, JsonObject? spec = null)
    {
        var metadata = body["metadata"]?.DeepClone() as JsonObject ?? [];
        metadata.Remove("creationTimestamp");
        if (name is not null)
        {
            metadata["name"] = name;
        }
        if (!string.IsNullOrEmpty(ns))
        {
            metadata["namespace"] = ns;
        }
        metadata["creationTimestamp"] = null;
        return new JsonObject
        {
            ["kind"] = kind,
            ["apiVersion"] = apiVersion,
            ["metadata"] = metadata,
            ["spec"] = spec?.DeepClone() ?? body["spec"]?.DeepClone() ?? new JsonObject(),
            ["status"] = status,
        };
    }

    private static JsonObject Without(JsonObject json, string key)
    {
        json.Remove(key);
        return json;
    }

    private static ApiException Invalid(string kind, string group, string name, string field, string message) =>
        Errors.Invalid(kind, group, name, [new StatusCause(message.StartsWith("Required", StringComparison.Ordinal) ? "FieldValueRequired" : "FieldValueInvalid", message, field)]);

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
