using System.Text;
using Sluice.Controllers.Kube;
using Sluice.Core.Api;

namespace Sluice.Controllers.Analysis;

/// <summary>Reads a provider's Secret: <c>token</c>, or <c>username</c> and <c>password</c>, and <c>ca.crt</c>.</summary>
public sealed class ProviderCredentials(IKubeApi api)
{
    public async Task<ProviderAuth> ReadAsync(string ns, SecretReference? secret, bool insecureSkipVerify, CancellationToken cancellationToken)
    {
        if (secret?.Name is not { Length: > 0 } name)
        {
            return insecureSkipVerify ? new ProviderAuth { InsecureSkipVerify = true } : ProviderAuth.None;
        }

        var obj = await api.GetAsync(ResourceKind.Secret, ns, name, cancellationToken)
            ?? throw new ProviderException($"secret {ns}/{name} (secretRef) not found");
        string? Key(string key) => obj["data"]?[key]?.GetValue<string>() is { } b64 ? Decode(b64, name, key)
            : obj["stringData"]?[key]?.GetValue<string>();
        var auth = new ProviderAuth
        {
            BearerToken = Key(SecretReference.TokenKey)?.Trim(),
            Username = Key(SecretReference.UsernameKey),
            Password = Key(SecretReference.PasswordKey),
            CaPem = Key(SecretReference.CaKey),
            InsecureSkipVerify = insecureSkipVerify,
        };
        if (auth.BearerToken is null && auth.Username is null && auth.CaPem is null)
        {
            throw new ProviderException($"secret {ns}/{name} (secretRef) has none of the keys {SecretReference.TokenKey}, {SecretReference.UsernameKey}/{SecretReference.PasswordKey}, {SecretReference.CaKey}");
        }

        return auth;
    }

    private static string Decode(string base64, string secret, string key)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw new ProviderException($"secret {secret}: key {key} is not base64");
        }
    }
}
