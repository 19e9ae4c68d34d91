package io.synod.node;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;

/**
 * Reports refused clients (connects refused by the policy, a cap or the authenticator) to the error handler, at most
 * {@link #REPORTS_PER_SECOND} a second: every refusal is counted, but a flood of forged Connects must not become a
 * flood of error-log entries, each with another client id in its message. What was left out is said in the next
 * report.
 */
final class RefusalReporter implements ErrorHandler
{
    /** Most refusals reported in one second. */
    static final int REPORTS_PER_SECOND = 16;

    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    private final ErrorHandler delegate;
    private final NanoClock clock;
    private long windowStartNs;
    private int reportedInWindow;
    private long notReported;

    RefusalReporter(final ErrorHandler delegate, final NanoClock clock)
    {
        this.delegate = delegate;
        this.clock = clock;
        this.windowStartNs = clock.nanoTime();
    }

    public void onError(final Throwable throwable)
    {
        final long nowNs = clock.nanoTime();
        if (nowNs - windowStartNs >= SECOND_NS)
        {
            windowStartNs = nowNs;
            reportedInWindow = 0;
        }
        if (reportedInWindow >= REPORTS_PER_SECOND)
        {
            notReported++;
            return;
        }
        reportedInWindow++;
        if (notReported > 0)
        {
            delegate.onError(new IllegalArgumentException(notReported + " more client refusals were not reported " +
                "(at most " + REPORTS_PER_SECOND + " a second); the node's counters count them all"));
            notReported = 0;
        }
        delegate.onError(throwable);
    }
}
