using Microsoft.Extensions.Hosting;
using Warden.Courier.Templates;

namespace Warden.Courier;

/// <summary>The worker inside <c>serve</c>: starts with the host, stops (and releases its claims) with it.</summary>
internal sealed class CourierHostedService(CourierWorker worker, MessageTemplates templates) : IHostedService
{
    private CancellationTokenSource? _stop;
    private Task? _running;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the templates here makes a broken override a startup error, not a failure at the first message.
        _ = templates;
        _stop = new CancellationTokenSource();
        _running = Task.Run(() => worker.RunAsync(_stop.Token, wokenByOutbox: true), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null || _running is null) return;
        await _stop.CancelAsync();
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        _stop.Dispose();
        _stop = null;
        _running = null;
    }
}
