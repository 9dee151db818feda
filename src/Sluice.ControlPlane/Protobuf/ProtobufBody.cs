using System.Text.Json.Nodes;
using Google.Protobuf;
using Sluice.ControlPlane.Api;

namespace Sluice.ControlPlane.Protobuf;

/// <summary>
/// A request body in Kubernetes' protobuf form (<c>application/vnd.kubernetes.protobuf</c>): the four bytes
/// <c>k8s\0</c>, then a <c>runtime.Unknown</c> { typeMeta (1) { apiVersion (1), kind (2) }, raw (2),
/// contentEncoding (3), contentType (4) } whose raw bytes are the object's own message. Decoded into the JSON
/// object kube-apiserver would make of it, with apiVersion and kind from the envelope.
/// </summary>
internal static class ProtobufBody
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = [(byte)'k', (byte)'8', (byte)'s', 0];

    /// <summary>
    /// Decodes a body. Throws 400 BadRequest for a malformed one (no envelope, truncated, wrong wire types) and
    /// 415 UnsupportedMediaType naming the kind when its protobuf form is not one the plane decodes.
    /// </summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw Errors.BadRequest("the protobuf body of the request does not start with the Kubernetes envelope (k8s\\0)");
        }
        string apiVersion = "", kind = "", encoding = "";
        ByteString raw = ByteString.Empty;
        try
        {
            var input = new CodedInputStream(body[Magic.Length..].ToArray());
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))
                {
                    case (1, WireFormat.WireType.LengthDelimited):
                        var typeMeta = new CodedInputStream(input.ReadBytes().ToByteArray());
                        uint inner;
                        while ((inner = typeMeta.ReadTag()) != 0)
                        {
                            switch (WireFormat.GetTagFieldNumber(inner), WireFormat.GetTagWireType(inner))
                            {
                                case (1, WireFormat.WireType.LengthDelimited):
                                    apiVersion = typeMeta.ReadString();
                                    break;
                                case (2, WireFormat.WireType.LengthDelimited):
                                    kind = typeMeta.ReadString();
                                    break;
                                default:
                                    typeMeta.SkipLastField();
                                    break;
                            }
                        }
                        break;
                    case (2, WireFormat.WireType.LengthDelimited):
                        raw = input.ReadBytes();
                        break;
                    case (3, WireFormat.WireType.LengthDelimited):
                        encoding = input.ReadString();
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Errors.BadRequest($"the protobuf body of the request could not be decoded: {e.Message}");
        }
        if (kind.Length == 0)
        {
            throw Errors.BadRequest("the protobuf body of the request names no kind (typeMeta.kind is empty)");
        }
        if (encoding.Length > 0)
        {
            throw Errors.BadRequest($"the protobuf body of the request has a content encoding this server does not read: \"{encoding}\"");
        }
        var table = ProtoTables.ForKind(apiVersion, kind) ?? throw new ApiException(new ApiStatus(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml; "
            + $"got {MediaType} for kind \"{kind}\" ({apiVersion}), whose protobuf form this server does not decode"));
        JsonObject obj;
        try
        {
            obj = ProtoJson.Decode(table, raw.Span);
        }
        catch (ProtoDecodeException e)
        {
            throw Errors.BadRequest($"the protobuf body of the request could not be decoded as {kind} ({apiVersion}): {e.Message}");
        }
        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (key, value) in obj.ToList())
        {
            obj.Remove(key);
            result[key] = value;
        }
        return result;
    }
}
