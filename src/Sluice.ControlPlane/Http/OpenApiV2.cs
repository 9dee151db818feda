using System.Text;

namespace Sluice.ControlPlane.Http;

/// <summary>
/// The smallest OpenAPI v2 document kubectl accepts. kubectl's default <c>--validate=strict</c>
/// downloads <c>/openapi/v2</c> (protobuf only, gnostic <c>openapi_v2.Document</c>) before it applies
/// anything; a document without definitions makes its client-side validation skip every kind,
/// leaving validation to the server (CRD schemas), and lets kubectl fall back to its compiled-in
/// strategic-merge metadata for built-in kinds.
/// </summary>
internal static class OpenApiV2
{
    public const string ProtobufMediaType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    /// <summary>Document { swagger = "2.0" (1); info = Info { title (1), version (2) } (2) }.</summary>
    public static byte[] Protobuf { get; } = Build();

    private static byte[] Build()
    {
        var info = Concat(Field(1, "Sluice control plane"), Field(2, "v1.32.0"));
        return Concat(Field(1, "2.0"), Field(2, info));
    }

    private static byte[] Field(int number, string value) => Field(number, Encoding.UTF8.GetBytes(value));

    private static byte[] Field(int number, byte[] value)
    {
        if (value.Length > 127)
        {
            throw new InvalidOperationException("field too long for a one-byte length");
        }
        return [(byte)((number << 3) | 2), (byte)value.Length, .. value];
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
