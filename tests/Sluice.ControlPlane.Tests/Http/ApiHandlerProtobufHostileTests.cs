using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Tests.Protobuf;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Http;

/// <summary>Protobuf bodies that are broken or lie: a clear 4xx, nothing stored, and the plane goes on serving.</summary>
public sealed class ApiHandlerProtobufHostileTests(RunningPlane plane) : IClassFixture<RunningPlane>
{
    private static ByteArrayContent Protobuf(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        return content;
    }

    private async Task<(HttpStatusCode Code, string Reason, string Message)> Post(string ns, string resource, byte[] body)
    {
        using var http = plane.Http();
        // Ask before sending the body, as a careful client does: the server refuses an oversized one without reading it.
        http.DefaultRequestHeaders.ExpectContinue = true;
        var response = await http.PostAsync($"/api/v1/namespaces/{ns}/{resource}", Protobuf(body));
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return (response.StatusCode, status["reason"]?.GetValue<string>() ?? "", status["message"]?.GetValue<string>() ?? "");
    }

    private async Task NothingStoredAndStillServing(string ns)
    {
        using var http = plane.Http();
        var list = JsonNode.Parse(await http.GetStringAsync($"/api/v1/namespaces/{ns}/configmaps"))!;
        list["items"]!.AsArray().Count.ShouldBe(0);
        var secrets = JsonNode.Parse(await http.GetStringAsync($"/api/v1/namespaces/{ns}/secrets"))!;
        secrets["items"]!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Create_WellFormedConfigMap_IsStoredAndAnsweredInJson()
    {
        var ns = plane.Fresh("pbh-ok");

        using var http = plane.Http();
        var response = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps",
            Protobuf(ProtoWriter.Envelope("v1", "ConfigMap", ProtoWriter.ConfigMap("cfg", "a", "b"))));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        created["data"]!["a"]!.GetValue<string>().ShouldBe("b");
        created["metadata"]!["namespace"]!.GetValue<string>().ShouldBe(ns);
    }

    [Fact]
    public async Task Create_TruncatedProtobuf_Gets400AndStoresNothing()
    {
        var ns = plane.Fresh("pbh-trunc");
        var whole = ProtoWriter.Envelope("v1", "ConfigMap", ProtoWriter.ConfigMap("cfg", "a", "b"));

        foreach (var cut in new[] { 3, 8, whole.Length - 1, whole.Length - 4 })
        {
            var (code, reason, message) = await Post(ns, "configmaps", whole[..cut]);
            code.ShouldBe(HttpStatusCode.BadRequest, $"cut at {cut}: {message}");
            reason.ShouldBe("BadRequest");
            message.ShouldContain("protobuf");
        }
        await NothingStoredAndStillServing(ns);
    }

    [Fact]
    public async Task Create_TruncatedInnerObject_NamesTheField()
    {
        var ns = plane.Fresh("pbh-inner");
        var raw = ProtoWriter.ConfigMap("cfg", "a", "b");

        var (code, _, message) = await Post(ns, "configmaps", ProtoWriter.Envelope("v1", "ConfigMap", raw[..^2]));

        code.ShouldBe(HttpStatusCode.BadRequest);
        message.ShouldContain("as ConfigMap (v1)");
        message.ShouldContain("data");
        await NothingStoredAndStillServing(ns);
    }

    [Fact]
    public async Task Create_OversizedProtobuf_Gets413AndStoresNothing()
    {
        var ns = plane.Fresh("pbh-big");
        var huge = ProtoWriter.Envelope("v1", "ConfigMap", ProtoWriter.ConfigMap("cfg", "a", new string('x', 4 * 1024 * 1024)));

        var (code, reason, _) = await Post(ns, "configmaps", huge);

        code.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        reason.ShouldBe("RequestEntityTooLarge");
        await NothingStoredAndStillServing(ns);
    }

    [Fact]
    public async Task Create_BodyClaimingAnotherKind_Gets400AndStoresNothing()
    {
        var ns = plane.Fresh("pbh-kind");
        var secret = ProtoWriter.Message((1, ProtoWriter.Message((1, "cfg"))), (2, ProtoWriter.Message((1, "k"), (2, "v"u8.ToArray()))));

        var (code, _, message) = await Post(ns, "configmaps", ProtoWriter.Envelope("v1", "Secret", secret));

        code.ShouldBe(HttpStatusCode.BadRequest);
        message.ShouldContain("the kind in the data (Secret) does not match the expected kind (ConfigMap)");
        await NothingStoredAndStillServing(ns);
    }

    [Fact]
    public async Task Create_KindWithoutAProtobufTable_Gets415NamingTheKind()
    {
        var ns = plane.Fresh("pbh-415");

        var (code, reason, message) = await Post(ns, "configmaps", ProtoWriter.Envelope("apps.kruise.io/v1alpha1", "CloneSet", ProtoWriter.Message((1, ProtoWriter.Message((1, "c"))))));

        code.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        reason.ShouldBe("UnsupportedMediaType");
        message.ShouldContain("\"CloneSet\"");
        await NothingStoredAndStillServing(ns);
    }

    [Fact]
    public async Task Create_NoEnvelopeOrGarbage_Gets400()
    {
        var ns = plane.Fresh("pbh-garbage");

        var plain = await Post(ns, "configmaps", ProtoWriter.ConfigMap("cfg", "a", "b"));
        var garbage = await Post(ns, "configmaps", [(byte)'k', (byte)'8', (byte)'s', 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);

        plain.Code.ShouldBe(HttpStatusCode.BadRequest);
        plain.Message.ShouldContain("envelope");
        garbage.Code.ShouldBe(HttpStatusCode.BadRequest);
        await NothingStoredAndStillServing(ns);
    }
}
