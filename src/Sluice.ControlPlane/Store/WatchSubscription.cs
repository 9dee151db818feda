using System.Threading.Channels;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// A live watch: read <see cref="Events"/> until it completes (the store closes watchers that
/// fall more than the channel's capacity behind, as kube-apiserver does). Dispose to stop.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Action<WatchSubscription> _unsubscribe;
    private readonly Channel<WatchEvent> _channel;
    private readonly Func<WatchEvent, WatchEvent?> _filter;

    internal WatchSubscription(Func<WatchEvent, WatchEvent?> filter, int capacity, Action<WatchSubscription> unsubscribe)
    {
        _filter = filter;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<WatchEvent> Events => _channel.Reader;

    /// <summary>Offers an event; a watcher that cannot keep up is closed.</summary>
    internal void Offer(WatchEvent change)
    {
        if (_filter(change) is not { } visible)
        {
            return;
        }
        if (!_channel.Writer.TryWrite(visible))
        {
            _channel.Writer.TryComplete();
        }
    }

    internal void Close() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _unsubscribe(this);
        Close();
    }
}
