package io.synod;

import org.agrona.ErrorHandler;

import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The default error handler: one line per error on a stream (a timestamp, no stack trace), at most {@link #MAX_LINES_PER_SECOND}
 * lines a second so a flood of malformed messages cannot flood the console; the rest are counted and summarised.
 */
public final class ErrorPrinter implements ErrorHandler
{
    /** Lines printed per second at most. */
    public static final int MAX_LINES_PER_SECOND = 10;

    private final String prefix;
    private final PrintStream out;
    private long windowStartNs;
    private int linesInWindow;
    private long suppressed;
    private volatile long errors;

    /**
     * @param prefix printed before each line, e.g. "synod node 1".
     * @param out    where lines go.
     */
    public ErrorPrinter(final String prefix, final PrintStream out)
    {
        this.prefix = prefix;
        this.out = out;
    }

    /** {@inheritDoc} */
    public synchronized void onError(final Throwable throwable)
    {
        errors++;
        final long nowNs = System.nanoTime();
        if (nowNs - windowStartNs > TimeUnit.SECONDS.toNanos(1))
        {
            if (suppressed > 0)
            {
                out.println(Instant.now() + " " + prefix + ": " + suppressed + " more errors suppressed");
                suppressed = 0;
            }
            windowStartNs = nowNs;
            linesInWindow = 0;
        }
        if (linesInWindow++ < MAX_LINES_PER_SECOND)
        {
            out.println(Instant.now() + " " + prefix + ": " + throwable);
        }
        else
        {
            suppressed++;
        }
    }

    /** @return errors seen. */
    public long errors()
    {
        return errors;
    }
}
