namespace Sluice.Cue.Catalog;

/// <summary>
/// One parameter of a definition, as a user reads it. <see cref="Type"/> is CUE-like text
/// (<c>string</c>, <c>int</c>, <c>[...string]</c>, <c>"a" | "b"</c>, <c>{...}</c>);
/// <see cref="Default"/> is the default's literal text (<c>80</c>, <c>"ClusterIP"</c>) or null;
/// <see cref="Fields"/> lists the fields of a struct parameter or of a list of structs.
/// </summary>
public sealed record ParameterDescription(
    string Name,
    string Type,
    bool Required,
    string? Default,
    string? Usage,
    string? Short,
    IReadOnlyList<ParameterDescription> Fields);
