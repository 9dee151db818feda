namespace Sluice.Core; internal static class Placeholder { }
