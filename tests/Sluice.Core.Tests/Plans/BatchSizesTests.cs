using Sluice.Core.Plans;

namespace Sluice.Core.Tests.Plans;

public class BatchSizesTests
{
    [Theory]
    [InlineData(8, 5, new[] { 1, 1, 2, 2, 2 })]
    [InlineData(9, 4, new[] { 2, 2, 2, 3 })]
    [InlineData(4, 5, new[] { 0, 1, 1, 1, 1 })]
    [InlineData(0, 2, new[] { 0, 0 })]
    public void Even_PutsTheRemainderOnLaterBatches(int pods, int count, int[] expected) =>
        BatchSizes.Even(pods, count).ShouldBe(expected);
}
