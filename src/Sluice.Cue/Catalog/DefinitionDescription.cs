namespace Sluice.Cue.Catalog;

/// <summary>The parameters of a definition, in the order the template declares them.</summary>
public sealed record DefinitionDescription(string Name, IReadOnlyList<ParameterDescription> Parameters)
{
    /// <summary>The parameter named <paramref name="name"/>, or null.</summary>
    public ParameterDescription? Find(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}
