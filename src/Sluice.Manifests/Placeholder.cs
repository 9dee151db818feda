namespace Sluice.Manifests; internal static class Placeholder { }
