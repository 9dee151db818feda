namespace Sluice.ControlPlane.Protobuf;

/// <summary>
/// The field tables of the Kubernetes API messages the plane decodes from protobuf (<c>ProtoTables.g.cs</c>, written
/// from the API's struct tags by <c>tools/protobuf-tables/generate.py</c>), and which kinds they serve.
/// </summary>
internal static partial class ProtoTables
{
    /// <summary>Every table, by <c>package.Message</c> (e.g. <c>apps.v1.Deployment</c>, <c>meta.v1.ObjectMeta</c>).</summary>
    public static IReadOnlyDictionary<string, ProtoMessage> Messages { get; } = Build();

    /// <summary>
    /// The table of a top-level kind written in an envelope, or null when its protobuf form is not supported
    /// (custom resources, and built-in kinds outside the tables).
    /// </summary>
    public static ProtoMessage? ForKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var package = group switch
        {
            "" => "core",
            "apps" or "batch" or "policy" or "autoscaling" => group,
            "rbac.authorization.k8s.io" => "rbac",
            "networking.k8s.io" => "networking",
            "scheduling.k8s.io" => "scheduling",
            "authentication.k8s.io" => "authentication",
            "authorization.k8s.io" => "authorization",
            "discovery.k8s.io" => "discovery",
            "meta.k8s.io" => "meta",
            _ => null,
        };
        if (package is null)
        {
            return null;
        }
        if (kind == "DeleteOptions")
        {
            package = "meta";
            version = "v1";
        }
        return Messages.GetValueOrDefault($"{package}.{version}.{kind}");
    }

    private const ProtoFieldFlags None = ProtoFieldFlags.None;

    private static class F
    {
        public const ProtoFieldFlags Repeated = ProtoFieldFlags.Repeated;
        public const ProtoFieldFlags KeepZero = ProtoFieldFlags.KeepZero;
        public const ProtoFieldFlags Inline = ProtoFieldFlags.Inline;
        public const ProtoFieldFlags OmitZero = ProtoFieldFlags.OmitZero;
    }

    private static class V
    {
        public const ProtoKind Str = ProtoKind.String;
        public const ProtoKind Bytes = ProtoKind.Bytes;
        public const ProtoKind I32 = ProtoKind.Int32;
        public const ProtoKind I64 = ProtoKind.Int64;
        public const ProtoKind Bool = ProtoKind.Bool;
        public const ProtoKind F64 = ProtoKind.Double;
    }

    private static ProtoField Str(int n, string json, ProtoFieldFlags flags = None) => new(n, json, ProtoKind.String, flags);

    private static ProtoField I32(int n, string json, ProtoFieldFlags flags = None) => new(n, json, ProtoKind.Int32, flags);

    private static ProtoField I64(int n, string json, ProtoFieldFlags flags = None) => new(n, json, ProtoKind.Int64, flags);

    private static ProtoField Bool(int n, string json, ProtoFieldFlags flags = None) => new(n, json, ProtoKind.Bool, flags);

    private static ProtoField F64(int n, string json, ProtoFieldFlags flags = None) => new(n, json, ProtoKind.Double, flags);

    private static ProtoField Bytes(int n, string json, ProtoFieldFlags flags = None) => new(n, json, ProtoKind.Bytes, flags);

    private static ProtoField Msg(int n, string json, string message, ProtoFieldFlags flags = None) => new(n, json, ProtoKind.Message, flags, message);

    private static ProtoField MapOf(int n, string json, ProtoKind value) => new(n, json, ProtoKind.Map, MapValue: value);

    private static ProtoField MapOf(int n, string json, string message) => new(n, json, ProtoKind.Map, Message: message, MapValue: ProtoKind.Message);

    private static ProtoField Skip(int n, string json) => new(n, json, ProtoKind.Skip);
}
