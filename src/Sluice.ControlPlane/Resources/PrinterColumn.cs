namespace Sluice.ControlPlane.Resources;

/// <summary>An additional printer column of a CRD version (<c>additionalPrinterColumns</c>).</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string Description, int Priority, string Format);
