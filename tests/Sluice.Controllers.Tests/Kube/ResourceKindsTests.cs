using Sluice.Controllers.Kube;

namespace Sluice.Controllers.Tests.Kube;

public class ResourceKindsTests
{
    [Theory]
    [InlineData("Gateway", "gateways")]
    [InlineData("NetworkPolicy", "networkpolicies")]
    [InlineData("Ingress", "ingresses")]
    [InlineData("VirtualService", "virtualservices")]
    [InlineData("HTTPRoute", "httproutes")]
    [InlineData("Proxy", "proxies")]
    [InlineData("Key", "keys")]
    public void Plural_UsualKinds_AreSpelledAsKubernetesDoes(string kind, string plural) =>
        ResourceKinds.Plural(kind).ShouldBe(plural);

    [Fact]
    public void For_GatewayApiKinds_NameTheServedResourcesAndScope()
    {
        ResourceKinds.For("gateway.networking.k8s.io/v1", "Gateway").ShouldBe(new ResourceKind("gateway.networking.k8s.io", "v1", "Gateway", "gateways"));
        var gatewayClass = ResourceKinds.For("gateway.networking.k8s.io/v1", "GatewayClass");
        gatewayClass.Plural.ShouldBe("gatewayclasses");
        gatewayClass.Namespaced.ShouldBeFalse();
        ResourceKinds.For("networking.k8s.io/v1", "IngressClass").Namespaced.ShouldBeFalse();
    }
}
