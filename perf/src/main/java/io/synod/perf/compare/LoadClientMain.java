package io.synod.perf.compare;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The load-client process: connects to one system, runs an unrecorded warm-up and then every phase, writes each
 * phase's latencies to an HdrHistogram log ({@code <system>-run<n>-<phase>.hlog}, one interval per second) and
 * prints a progress line per second and one {@code RESULT} line per phase for the harness.
 * <p>
 * Closed-loop phases keep {@code window} commands outstanding, latency from the send; fixed-rate phases send on a
 * schedule and measure latency from each command's intended send time, so a stall is charged to every command it
 * delays (no coordinated omission); commands that fell due before the end of the phase but could not be sent yet
 * are sent after it and recorded too. Throughput counts the responses within the phase.
 */
@Command(name = "LoadClientMain", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Load client of the comparison harness (started by CompareMain).")
public final class LoadClientMain implements Callable<Integer>, LoadTarget.Responses
{
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int RING = 1 << 16;

    @Mixin
    LoadOptions options = new LoadOptions();

    @Option(names = "--system", required = true, description = "synod or aeron.")
    String system;

    @Option(names = "--run", description = "Run number, for file names.")
    int run = 1;

    @Option(names = "--out", required = true, description = "Directory for the .hlog files.")
    File out;

    private final long[] sentNs = new long[RING];
    private final Histogram interval = new Histogram(HIGHEST_NS, 3);
    private long outstanding;
    private boolean recording;
    private long recorded;
    private long lastResponseNs;
    private long gapNs;
    private long gaps;
    private long maxGapNs;

    /**
     * @param args see {@code --help}.
     */
    public static void main(final String[] args)
    {
        ChildProcesses.exitWithParent();
        System.exit(new CommandLine(new LoadClientMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        gapNs = TimeUnit.MILLISECONDS.toNanos(options.gapMs);
        final File dir = new File(options.dir);
        final UnsafeBuffer command = new UnsafeBuffer(new byte[Math.max(16, options.messageLength)]);
        final IdleStrategy idle = Idle.of(options.idle);
        try (LoadTarget target = SynodSide.NAME.equals(system) ?
            SynodSide.connect(options, dir, this) : AeronClusterSide.connect(options, dir, this))
        {
            System.out.printf("%s run %d: connected%n", system, run);
            phase(target, command, idle, "warmup", 64, 0, options.warmupSeconds, null);
            for (final int window : options.windows)
            {
                phase(target, command, idle, "window-" + window, window, 0, options.durationSeconds, hlog(window, 0));
            }
            for (final int rate : options.rates)
            {
                phase(target, command, idle, "rate-" + rate, options.maxOutstanding, rate, options.durationSeconds,
                    hlog(0, rate));
            }
        }
        return 0;
    }

    private File hlog(final int window, final int rate)
    {
        return new File(out, system + "-run" + run + "-" + (window > 0 ? "window-" + window : "rate-" + rate) +
            ".hlog");
    }

    private void phase(
        final LoadTarget target,
        final UnsafeBuffer command,
        final IdleStrategy idle,
        final String name,
        final int window,
        final int rate,
        final int seconds,
        final File hlogFile) throws FileNotFoundException
    {
        if (seconds <= 0)
        {
            return;
        }
        final long intervalNs = rate > 0 ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
        final long leaderChangesBefore = target.leaderChanges();
        final long newLeadersBefore = target.clientNewLeaders();
        final long failedBefore = target.failedResponses();
        interval.reset();
        recorded = 0;
        gaps = 0;
        maxGapNs = 0;
        lastResponseNs = 0;
        recording = hlogFile != null;
        try (PrintStream hlogStream = hlogFile != null ? new PrintStream(hlogFile) : null)
        {
            final HistogramLogWriter writer = hlogStream != null ? new HistogramLogWriter(hlogStream) : null;
            final long startNs = System.nanoTime();
            final long startMs = System.currentTimeMillis();
            if (writer != null)
            {
                writer.outputLogFormatVersion();
                writer.outputComment(system + " run " + run + " " + name + ", latency in ns");
                writer.outputStartTime(startMs);
                writer.setBaseTime(startMs);
                writer.outputLegend();
            }
            final long endNs = startNs + TimeUnit.SECONDS.toNanos(seconds);
            long nextSendNs = startNs;
            long nextIntervalNs = startNs + TimeUnit.SECONDS.toNanos(1);
            long intervalStartMs = startMs;
            long nowNs;
            while ((nowNs = System.nanoTime()) < endNs)
            {
                if (rate > 0)
                {
                    while (nowNs >= nextSendNs && outstanding < window && send(target, command, nextSendNs))
                    {
                        nextSendNs += intervalNs;
                    }
                }
                else
                {
                    while (outstanding < window && send(target, command, nowNs))
                    {
                        // fill the window
                    }
                }
                idle.idle(target.poll());
                if (nowNs >= nextIntervalNs)
                {
                    final long nowMs = System.currentTimeMillis();
                    if (writer != null)
                    {
                        interval.setStartTimeStamp(intervalStartMs);
                        interval.setEndTimeStamp(nowMs);
                        writer.outputIntervalHistogram(interval);
                    }
                    System.out.printf("  %s run %d %s: %d/%d s, %,d responses/s, p50 %.1f us, max %.1f us%n",
                        system, run, name, TimeUnit.NANOSECONDS.toSeconds(nowNs - startNs), seconds,
                        interval.getTotalCount(), interval.getValueAtPercentile(50) / 1e3,
                        interval.getMaxValue() / 1e3);
                    interval.reset();
                    intervalStartMs = nowMs;
                    nextIntervalNs += TimeUnit.SECONDS.toNanos(1);
                }
            }
            final long elapsedNs = System.nanoTime() - startNs;
            final long answeredInPhase = recorded;
            if (rate > 0)
            {
                // Commands that fell due in the phase but could not be sent yet still count, from when they were
                // due: leaving them out would hide the stall that held them back.
                catchUp(target, command, idle, window, nextSendNs, endNs, intervalNs);
            }
            recording = false;
            if (writer != null && interval.getTotalCount() > 0)
            {
                interval.setStartTimeStamp(intervalStartMs);
                interval.setEndTimeStamp(System.currentTimeMillis());
                writer.outputIntervalHistogram(interval);
            }
            drain(target, idle);
            settle(target, idle);
            if (hlogFile != null)
            {
                System.out.printf("RESULT system=%s run=%d phase=%s count=%d seconds=%.3f gaps=%d maxGapMs=%.3f " +
                    "leaderChanges=%d clientNewLeaders=%d failed=%d outstandingLeft=%d recorded=%d hlog=%s%n",
                    system, run, name, answeredInPhase, elapsedNs / 1e9, gaps, maxGapNs / 1e6,
                    target.leaderChanges() - leaderChangesBefore, target.clientNewLeaders() - newLeadersBefore,
                    target.failedResponses() - failedBefore, outstanding, recorded, hlogFile.getPath());
            }
        }
    }

    /**
     * Send the commands of a fixed-rate phase that were due before its end but not yet sent, and wait for every
     * command of the phase, recording them all (at most 10 s).
     */
    private void catchUp(
        final LoadTarget target,
        final UnsafeBuffer command,
        final IdleStrategy idle,
        final int window,
        final long firstUnsentNs,
        final long endNs,
        final long intervalNs)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long nextSendNs = firstUnsentNs;
        while ((nextSendNs < endNs || outstanding > 0) && System.nanoTime() < deadline)
        {
            while (nextSendNs < endNs && outstanding < window && send(target, command, nextSendNs))
            {
                nextSendNs += intervalNs;
            }
            idle.idle(target.poll());
        }
    }

    private boolean send(final LoadTarget target, final UnsafeBuffer command, final long intendedNs)
    {
        final long sequence = target.offer(command);
        if (sequence <= 0)
        {
            return false;
        }
        sentNs[(int)(sequence & (RING - 1))] = intendedNs;
        outstanding++;
        return true;
    }

    /**
     * Send nothing for --settle seconds, still polling: the first second of a fixed-rate phase right after window 1024
     * had a 11-36 ms spike in both systems (followers and queues finishing the saturating phase's work), which alone
     * decided the p99 of the whole phase. Each phase now measures its own load.
     */
    private void settle(final LoadTarget target, final IdleStrategy idle)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.settleSeconds);
        while (System.nanoTime() < deadline)
        {
            idle.idle(target.poll());
        }
    }

    /** Let the commands still outstanding come back before the next phase (at most 10 s), not recorded. */
    private void drain(final LoadTarget target, final IdleStrategy idle)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (outstanding > 0 && System.nanoTime() < deadline)
        {
            idle.idle(target.poll());
        }
    }

    @Override
    public void onResponse(final long sequence)
    {
        if (outstanding > 0)
        {
            outstanding--;
        }
        if (!recording || sequence <= 0)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        final long latencyNs = Math.min(HIGHEST_NS, Math.max(1, nowNs - sentNs[(int)(sequence & (RING - 1))]));
        interval.recordValue(latencyNs);
        recorded++;
        if (lastResponseNs != 0)
        {
            final long gap = nowNs - lastResponseNs;
            if (gap >= gapNs)
            {
                gaps++;
            }
            maxGapNs = Math.max(maxGapNs, gap);
        }
        lastResponseNs = nowNs;
    }
}
