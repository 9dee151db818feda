using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Resources;
using Sluice.ControlPlane.Store;

namespace Sluice.ControlPlane.Auth;

/// <summary>
/// Service account tokens as kube-apiserver issues them through the TokenRequest API: JWTs signed with the plane's
/// key (ES256, <c>DIR/pki/sa.key</c>, kept across restarts), naming the issuer, the audiences, the service account
/// (namespace, name, uid) and, when bound, the pod or secret they are bound to; they expire. A token is accepted only
/// while it is well signed, not expired, meant for this API server, and the service account (and the bound object)
/// still exists with the uid the token names: deleting the account revokes its tokens.
/// </summary>
public sealed class ServiceAccountTokens
{
    /// <summary>The issuer, and the default audience (kube-apiserver's <c>--api-audiences</c> default on kubeadm clusters).</summary>
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";

    private readonly ECDsa _key;
    private readonly string _keyId;
    private readonly ResourceStore _store;
    private readonly TimeProvider _time;

    internal ServiceAccountTokens(ECDsa key, ResourceStore store, TimeProvider time)
    {
        _key = key;
        _store = store;
        _time = time;
        _keyId = Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
    }

    /// <summary>A bound object a token names (Pod or Secret): the token dies with it.</summary>
    public sealed record BoundObject(string Kind, string Name, string Uid);

    /// <summary>Signs a token for a service account that exists (the caller checked), valid from now for <paramref name="lifetime"/>.</summary>
    public (string Token, DateTimeOffset Expires) Issue(string ns, string name, string uid, IReadOnlyList<string> audiences, TimeSpan lifetime, BoundObject? bound = null)
    {
        var now = _time.GetUtcNow();
        var expires = now + lifetime;
        var kubernetes = new JsonObject
        {
            ["namespace"] = ns,
            ["serviceaccount"] = new JsonObject { ["name"] = name, ["uid"] = uid },
        };
        if (bound is not null)
        {
            kubernetes[bound.Kind.ToLowerInvariant()] = new JsonObject { ["name"] = bound.Name, ["uid"] = bound.Uid };
        }
        var claims = new JsonObject
        {
            ["aud"] = new JsonArray(audiences.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = kubernetes,
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["sub"] = UserInfo.ServiceAccountUser(ns, name),
        };
        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = _keyId, ["typ"] = "JWT" };
        var signed = $"{Part(header)}.{Part(claims)}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return ($"{signed}.{Base64Url.EncodeToString(signature)}", DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>
    /// The service account a token authenticates, or null (with why) when it is not one of ours, is malformed, badly
    /// signed, expired or not yet valid, not meant for <paramref name="audience"/>, or names an account or bound object
    /// that no longer exists with that uid.
    /// </summary>
    public (UserInfo? User, IReadOnlyList<string> Audiences, string Problem) Validate(string token, string audience = Issuer)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (null, [], "not a JWT");
        }
        JsonObject claims;
        try
        {
            var signature = Base64Url.DecodeFromChars(parts[2]);
            if (!_key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return (null, [], "invalid signature");
            }
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0])) as JsonObject;
            if (header?["alg"]?.GetValue<string>() != "ES256")
            {
                return (null, [], "unexpected algorithm");
            }
            claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) as JsonObject ?? throw new FormatException("claims are not an object");
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or CryptographicException)
        {
            return (null, [], "malformed token");
        }
        try
        {
            if (Str(claims["iss"]) != Issuer)
            {
                return (null, [], "unknown issuer");
            }
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            if (Num(claims["exp"]) is not { } exp || now >= exp)
            {
                return (null, [], "token has expired");
            }
            if (Num(claims["nbf"]) is { } nbf && now < nbf)
            {
                return (null, [], "token is not valid yet");
            }
            var audiences = (claims["aud"] as JsonArray ?? []).Select(Str).ToList();
            if (!audiences.Contains(audience))
            {
                return (null, [], "token audiences do not include this API server");
            }
            var k8s = claims["kubernetes.io"] as JsonObject;
            var ns = Str(k8s?["namespace"]);
            var name = Str(k8s?["serviceaccount"]?["name"]);
            var uid = Str(k8s?["serviceaccount"]?["uid"]);
            var account = _store.CommittedObject(BuiltInResources.ServiceAccounts, ns, name);
            if (account is null || Meta.Uid(account) != uid)
            {
                return (null, [], $"service account {ns}/{name} (uid {uid}) no longer exists");
            }
            if (Meta.Str(account, "deletionTimestamp").Length > 0)
            {
                return (null, [], $"service account {ns}/{name} is being deleted");
            }
            foreach (var (key, resource) in new[] { ("pod", BuiltInResources.Pods), ("secret", BuiltInResources.Secrets) })
            {
                if (k8s?[key] is JsonObject boundRef)
                {
                    var bound = _store.CommittedObject(resource, ns, Str(boundRef["name"]));
                    if (bound is null || Meta.Uid(bound) != Str(boundRef["uid"]) || Meta.Str(bound, "deletionTimestamp").Length > 0)
                    {
                        return (null, [], $"the {key} {ns}/{Str(boundRef["name"])} the token is bound to no longer exists");
                    }
                }
            }
            return (UserInfo.ServiceAccount(ns, name, uid), audiences, "");
        }
        catch (InvalidOperationException)
        {
            return (null, [], "malformed claims");
        }
    }

    private static string Part(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static long? Num(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;
}
