using System.Text;
using System.Text.Json.Nodes;
using Sluice.Controllers.Analysis;
using Sluice.Controllers.Kube;
using Sluice.Core.Api;

namespace Sluice.Controllers.Tests.Analysis;

public class ProviderCredentialsTests
{
    private readonly FakeKubeApi api = new();

    private void Secret(string name, params (string Key, string Value)[] data) => api.Put(ResourceKind.Secret, new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "shop" },
        ["data"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)Convert.ToBase64String(Encoding.UTF8.GetBytes(d.Value))))),
    });

    [Fact]
    public async Task ReadAsync_Token_IsABearerHeader()
    {
        Secret("prom", ("token", "s3cret\n"));

        var auth = await new ProviderCredentials(api).ReadAsync("shop", new SecretReference { Name = "prom" }, insecureSkipVerify: false, CancellationToken.None);

        auth.Header!.ToString().ShouldBe("Bearer s3cret");
    }

    [Fact]
    public async Task ReadAsync_UsernameAndPassword_IsBasicAuthWithTheCa()
    {
        Secret("prom", ("username", "ops"), ("password", "pw"), ("ca.crt", "-----BEGIN CERTIFICATE-----"));

        var auth = await new ProviderCredentials(api).ReadAsync("shop", new SecretReference { Name = "prom" }, insecureSkipVerify: false, CancellationToken.None);

        auth.Header!.ToString().ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:pw")));
        auth.CaPem.ShouldBe("-----BEGIN CERTIFICATE-----");
    }

    [Fact]
    public async Task ReadAsync_MissingSecret_IsAProviderErrorNamingIt() =>
        (await Should.ThrowAsync<ProviderException>(() => new ProviderCredentials(api).ReadAsync("shop", new SecretReference { Name = "gone" }, false, CancellationToken.None)))
            .Message.ShouldBe("secret shop/gone (secretRef) not found");

    [Fact]
    public async Task ReadAsync_SecretWithoutKnownKeys_SaysWhichKeysItWants()
    {
        Secret("odd", ("apiKey", "x"));

        (await Should.ThrowAsync<ProviderException>(() => new ProviderCredentials(api).ReadAsync("shop", new SecretReference { Name = "odd" }, false, CancellationToken.None)))
            .Message.ShouldBe("secret shop/odd (secretRef) has none of the keys token, username/password, ca.crt");
    }

    [Fact]
    public async Task ReadAsync_NoSecret_IsNoCredentials() =>
        (await new ProviderCredentials(api).ReadAsync("shop", null, insecureSkipVerify: true, CancellationToken.None)).ShouldBe(new ProviderAuth { InsecureSkipVerify = true });
}
