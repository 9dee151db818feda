namespace Sluice.Core.Api;

public sealed record CueSchematic
{
    public required string Template { get; init; }
}
