using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.ControlPlane.Tests.Support;

namespace Sluice.ControlPlane.Tests.Http;

/// <summary>Bad requests get a Status with the right code, and the server goes on serving.</summary>
public sealed class ApiHandlerHostileInputTests(RunningPlane plane) : IClassFixture<RunningPlane>
{
    private static StringContent Body(string text, string mediaType = "application/json") =>
        new(text, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    private async Task ServerStillServes()
    {
        using var http = plane.Http();
        var response = await http.GetAsync("/api/v1/namespaces/default");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<JsonObject> StatusOf(HttpResponseMessage response)
    {
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        status["kind"]!.GetValue<string>().ShouldBe("Status");
        status["apiVersion"]!.GetValue<string>().ShouldBe("v1");
        status["status"]!.GetValue<string>().ShouldBe("Failure");
        status["code"]!.GetValue<int>().ShouldBe((int)response.StatusCode);
        return status;
    }

    [Fact]
    public async Task Create_MalformedJson_Gets400()
    {
        using var http = plane.Http();

        var response = await http.PostAsync("/api/v1/namespaces/default/configmaps", Body("{\"metadata\": {\"name\": \"x\""));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await StatusOf(response))["message"]!.GetValue<string>().ShouldContain("json parse error");
        await ServerStillServes();
    }

    [Fact]
    public async Task Apply_MalformedYaml_Gets400()
    {
        using var http = plane.Http();

        var response = await http.PatchAsync("/api/v1/namespaces/default/configmaps/x?fieldManager=test",
            Body("metadata:\n  name: x\n   bad: [unclosed\n", "application/apply-patch+yaml"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await StatusOf(response))["reason"]!.GetValue<string>().ShouldBe("BadRequest");
        await ServerStillServes();
    }

    [Fact]
    public async Task Create_BodyOverThreeMebibytes_Gets413()
    {
        using var http = plane.Http();
        // Ask before sending the body, as a careful client does: the server refuses without reading 4 MiB.
        http.DefaultRequestHeaders.ExpectContinue = true;
        var huge = "{\"metadata\":{\"name\":\"big\"},\"data\":{\"a\":\"" + new string('x', 4 * 1024 * 1024) + "\"}}";

        var response = await http.PostAsync("/api/v1/namespaces/default/configmaps", Body(huge));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await StatusOf(response))["reason"]!.GetValue<string>().ShouldBe("RequestEntityTooLarge");
        await ServerStillServes();
        (await http.GetAsync("/api/v1/namespaces/default/configmaps/big")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/widgets")]
    [InlineData("/apis/example.com/v1/things")]
    [InlineData("/apis/apps/v9/deployments")]
    [InlineData("/api/v1/namespaces/default/configmaps/x/nonsense")]
    public async Task Get_UnknownResource_Gets404(string path)
    {
        using var http = plane.Http();

        var response = await http.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await StatusOf(response))["reason"]!.GetValue<string>().ShouldBe("NotFound");
        await ServerStillServes();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Get_WithoutTheToken_Gets401(string? token)
    {
        using var http = plane.Http(token ?? "");
        if (token is null)
        {
            http.DefaultRequestHeaders.Authorization = null;
        }

        var response = await http.GetAsync("/api/v1/namespaces");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await StatusOf(response))["reason"]!.GetValue<string>().ShouldBe("Unauthorized");
        await ServerStillServes();
    }

    [Fact]
    public async Task Create_NotAnObject_Gets400AndStrategicPatchOnACustomResourceGets415()
    {
        using var http = plane.Http();

        var array = await http.PostAsync("/api/v1/namespaces/default/configmaps", Body("[1,2,3]"));
        var strategic = await http.PatchAsync("/apis/core.oam.dev/v1beta1/namespaces/default/approllouts/x",
            Body("{}", "application/strategic-merge-patch+json"));

        array.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        strategic.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        await ServerStillServes();
    }
}
