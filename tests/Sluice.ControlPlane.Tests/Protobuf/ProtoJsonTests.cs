using System.Text.Json.Nodes;
using Sluice.ControlPlane.Protobuf;

namespace Sluice.ControlPlane.Tests.Protobuf;

public sealed class ProtoJsonTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(150_000_000L, "150ms")]
    [InlineData(3_723_000_000_000L, "1h2m3s")]
    [InlineData(60_000_000_000L, "1m0s")]
    [InlineData(-2_000_000_000L, "-2s")]
    [InlineData(999L, "999ns")]
    public void Duration_Nanoseconds_AsGoPrintsThem(long nanos, string expected) =>
        ProtoJson.Duration(nanos).GetValue<string>().ShouldBe(expected);

    [Fact]
    public void Decode_DeploymentWithZeroReplicasAndEmptyStrings_KeepsPointersDropsZeros()
    {
        var spec = ProtoWriter.Message(
            (1, 0), // replicas: *int32 set to 0
            (5, 0), // minReadySeconds: int32, omitempty
            (3, ProtoWriter.Message((2, ProtoWriter.Message((2, ProtoWriter.Message((1, "web"), (2, "nginx")))))))); // template.spec.containers
        var deployment = ProtoWriter.Message((1, ProtoWriter.Message((1, "web"), (2, ""))), (2, spec));

        var json = ProtoJson.Decode(ProtoTables.ForKind("apps/v1", "Deployment")!, deployment);

        json["metadata"]!.ToJsonString().ShouldBe("""{"name":"web"}""");
        json["spec"]!["replicas"]!.GetValue<int>().ShouldBe(0);
        json["spec"]!.AsObject().ContainsKey("minReadySeconds").ShouldBeFalse();
        json["spec"]!["template"]!["spec"]!["containers"]![0]!.ToJsonString().ShouldBe("""{"name":"web","image":"nginx"}""");
    }

    [Fact]
    public void Decode_ServicePortTargetPortAsString_IsAString()
    {
        var port = ProtoWriter.Message((1, "http"), (3, 80), (4, ProtoWriter.Message((1, 1L), (3, "web"))));
        var service = ProtoWriter.Message((2, ProtoWriter.Message((1, port))));

        var json = ProtoJson.Decode(ProtoTables.ForKind("v1", "Service")!, service);

        json["spec"]!["ports"]![0]!.ToJsonString().ShouldBe("""{"name":"http","port":80,"targetPort":"web"}""");
    }

    [Fact]
    public void Decode_SecretData_IsBase64()
    {
        var secret = ProtoWriter.Message((2, ProtoWriter.Message((1, "k"), (2, "v"u8.ToArray()))));

        var json = ProtoJson.Decode(ProtoTables.ForKind("v1", "Secret")!, secret);

        json["data"]!["k"]!.GetValue<string>().ShouldBe("dg==");
    }

    [Fact]
    public void Decode_Truncated_ThrowsNamingTheField()
    {
        var full = ProtoWriter.ConfigMap("cfg", "a", "b");

        var error = Should.Throw<ProtoDecodeException>(() => ProtoJson.Decode(ProtoTables.ForKind("v1", "ConfigMap")!, full.AsSpan(0, full.Length - 2)));

        error.Message.ShouldContain("data");
    }

    [Fact]
    public void Decode_WrongWireType_ThrowsNamingTheField()
    {
        var bad = ProtoWriter.Message((1, ProtoWriter.Message((1, 42)))); // metadata.name as a number

        var error = Should.Throw<ProtoDecodeException>(() => ProtoJson.Decode(ProtoTables.ForKind("v1", "ConfigMap")!, bad));

        error.Message.ShouldContain("metadata.name");
    }

    [Fact]
    public void Tables_EveryReferencedMessage_HasATableOrASpecialForm()
    {
        string[] special = ["meta.v1.Time", "meta.v1.MicroTime", "meta.v1.Duration", "resource.Quantity", "intstr.IntOrString",
            "runtime.RawExtension", "meta.v1.FieldsV1", "authentication.v1.ExtraValue", "authorization.v1.ExtraValue"];
        var missing = ProtoTables.Messages.Values.SelectMany(m => m.Fields)
            .Where(f => f.Message is not null && !ProtoTables.Messages.ContainsKey(f.Message) && !special.Contains(f.Message))
            .Select(f => f.Message)
            .Distinct()
            .ToList();

        missing.ShouldBeEmpty();
    }
}
