using System.Diagnostics;
using Pdsno.Abstractions.Events;
using Pdsno.Grains.Projection;
using Pdsno.Storage.Projection;

namespace Pdsno.Bench.Hosting;

/// <summary>
/// Wraps the real projection writer and stamps each stored event with the moment its transaction
/// committed, so the latency scenario measures from "durable" to "received".
/// </summary>
internal sealed class TimingProjectionWriter(PostgresProjectionWriter inner, LatencyRecorder recorder) : IProjectionWriter
{
    public Task<IReadOnlyList<TopologyEvent>> CommitAsync(ProjectionWork work, CancellationToken cancellationToken = default)
    {
        var task = inner.CommitAsync(work, cancellationToken);
        // Stamped on the thread pool as soon as the commit completes, not when the calling grain resumes.
        task.ContinueWith(
            t =>
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var e in t.Result)
                {
                    recorder.Stamp(e.Tenant, e.Sequence, now);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return task;
    }
}
