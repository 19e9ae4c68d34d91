package io.synod.node;

import org.agrona.ErrorHandler;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts errors on their way to the user's error handler, so the errors counter shows them.
 */
final class CountingErrorHandler implements ErrorHandler
{
    private final ErrorHandler delegate;
    private final AtomicLong errors = new AtomicLong();

    /**
     * @param delegate where errors go.
     */
    CountingErrorHandler(final ErrorHandler delegate)
    {
        this.delegate = delegate;
    }

    public void onError(final Throwable throwable)
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
