namespace Sluice.ControlPlane.Protobuf;

/// <summary>A protobuf body that cannot be decoded: what is wrong, and at which field (JSON path).</summary>
internal sealed class ProtoDecodeException(string problem, string path)
    : Exception(path.Length == 0 ? problem : $"{problem} (at {path})");
