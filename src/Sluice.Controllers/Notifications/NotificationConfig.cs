using System.Text;
using System.Text.Json.Nodes;
using Sluice.Manifests;

namespace Sluice.Controllers.Notifications;

/// <summary>
/// The notification services, read from the ConfigMap <see cref="ConfigMapName"/> (keys <c>service.&lt;type&gt;</c>, named
/// after the type, or <c>service.&lt;type&gt;.&lt;name&gt;</c>; each a YAML block) with values <c>$key</c> taken from the Secret
/// <see cref="SecretName"/>. A service that cannot be used is left out with a problem naming the key, the field and the
/// value; the others work.
/// </summary>
public sealed record NotificationConfig(IReadOnlyDictionary<string, NotificationService> Services, IReadOnlyDictionary<string, string> Problems)
{
    public const string ConfigMapName = "sluice-notifications";
    public const string SecretName = "sluice-notifications-secret";

    public static readonly IReadOnlyList<string> Types = ["webhook", "slack", "teams"];

    public static NotificationConfig Empty { get; } = new(new Dictionary<string, NotificationService>(), new Dictionary<string, string>());

    /// <summary>Reads the services from the ConfigMap's and Secret's objects (either may be null: not there).</summary>
    public static NotificationConfig Parse(JsonObject? configMap, JsonObject? secret, string ns)
    {
        var services = new Dictionary<string, NotificationService>(StringComparer.Ordinal);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (configMap?["data"] is not JsonObject data)
        {
            return new(services, problems);
        }

        var secrets = secret?["data"] is JsonObject encoded
            ? encoded.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => Decode(p.Value!.GetValue<string>()))
            : null;
        foreach (var (key, value) in data)
        {
            if (!key.StartsWith("service.", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = key["service.".Length..].Split('.', 2);
            var type = parts[0];
            var name = parts.Length == 2 ? parts[1] : type;
            try
            {
                if (!Types.Contains(type))
                {
                    throw new FormatException($"unknown service type \"{type}\" (known: {string.Join(", ", Types)})");
                }

                var spec = YamlJson.Parse(value?.GetValue<string>() ?? "") as JsonObject
                    ?? throw new FormatException("want a YAML mapping of the service's fields");
                var reader = new Fields(spec, secrets, ns);
                services[name] = type switch
                {
                    "webhook" => new NotificationService
                    {
                        Name = name, Type = type, Url = reader.Url("url"), Method = reader.Text("method", required: false) ?? "POST", Headers = reader.Map("headers"),
                    },
                    "slack" => new NotificationService
                    {
                        Name = name, Type = type, Token = reader.Text("token"),
                        ApiUrl = reader.Url("apiURL", required: false) is { } api ? new Uri(api.ToString().TrimEnd('/') + "/") : new Uri("https://slack.com/api/"),
                    },
                    _ => new NotificationService
                    {
                        Name = name, Type = type, RecipientUrls = reader.Map("recipientUrls").ToDictionary(p => p.Key, p => Fields.AbsoluteUrl($"recipientUrls.{p.Key}", p.Value)),
                    },
                };
            }
            catch (Exception e) when (e is FormatException or ManifestException)
            {
                problems[name] = $"ConfigMap {ns}/{ConfigMapName} key {key}: {e.Message}";
            }
        }

        return new(services, problems);
    }

    private static string Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    /// <summary>Reads a service's fields, resolving <c>$key</c> from the Secret.</summary>
    private sealed class Fields(JsonObject spec, IReadOnlyDictionary<string, string>? secrets, string ns)
    {
        public string? Text(string field, bool required = true)
        {
            if (spec[field] is not JsonValue value)
            {
                return required ? throw new FormatException($"{field} is required") : null;
            }

            return Resolve(field, value.ToString());
        }

        public Uri? Url(string field, bool required = true) => Text(field, required) is { } text ? AbsoluteUrl(field, text) : null;

        public IReadOnlyDictionary<string, string> Map(string field) => spec[field] switch
        {
            null => new Dictionary<string, string>(),
            JsonObject map => map.ToDictionary(p => p.Key, p => Resolve($"{field}.{p.Key}", p.Value?.ToString() ?? "")),
            _ => throw new FormatException($"{field}: want a mapping of names to values"),
        };

        public static Uri AbsoluteUrl(string field, string text) =>
            Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? url
                : throw new FormatException($"{field}: \"{Redacted(text)}\" is not an absolute http(s) URL");

        private string Resolve(string field, string text)
        {
            if (!text.StartsWith('$'))
            {
                return text;
            }

            var key = text[1..];
            if (secrets is null)
            {
                throw new FormatException($"{field} refers to ${key}, but Secret {ns}/{SecretName} does not exist");
            }

            return secrets.TryGetValue(key, out var secret)
                ? secret
                : throw new FormatException($"{field} refers to ${key}, which Secret {ns}/{SecretName} does not have");
        }

        /// <summary>A value that may hold a secret is named by its start only.</summary>
        private static string Redacted(string text) => text.Length <= 12 ? text : text[..12] + "...";
    }
}
