package io.synod.node;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.errors.DistinctErrorLog;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts errors on their way to the user's error handler, so the errors counter shows them, and records them in the
 * embedded driver's distinct error log (its cnc file), where Aeron's {@code ErrorStat} reads them with their stack
 * traces, each distinct error once with a count and the first and last time seen.
 */
final class CountingErrorHandler implements ErrorHandler
{
    private final ErrorHandler delegate;
    private final AtomicLong errors = new AtomicLong();
    private volatile DistinctErrorLog distinctErrorLog;

    /**
     * @param delegate where errors go.
     */
    CountingErrorHandler(final ErrorHandler delegate)
    {
        this.delegate = delegate;
    }

    /**
     * @param distinctErrorLog the embedded driver's error log, to record the node's errors in too.
     */
    void distinctErrorLog(final DistinctErrorLog distinctErrorLog)
    {
        this.distinctErrorLog = distinctErrorLog;
    }

    public void onError(final Throwable throwable)
    {
        final DistinctErrorLog log = distinctErrorLog;
        if (log != null)
        {
            log.record(throwable); // thread safe; full: the error still goes to the delegate
        }
        onDriverError(throwable);
    }

    /**
     * An error of the embedded driver, which recorded it in its error log already.
     *
     * @param throwable the error.
     */
    void onDriverError(final Throwable throwable)
    {
        errors.incrementAndGet();
        delegate.onError(throwable);
    }

    /** @return errors seen. */
    public long errors()
    {
        return errors.get();
    }
}
