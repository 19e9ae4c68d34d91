package io.synod.node;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * Keeps an exception thrown while handling a fragment for the node agent, instead of letting it reach Aeron: Aeron's
 * {@code Image.poll} reports a handler's exception to the error handler and carries on with the next fragment, so a
 * log that could not be written in the middle of an Accept would leave the core half updated and the duty cycle
 * would go on to sync and send. After the first failure the remaining fragments of the poll are ignored; the agent
 * stops the node.
 */
final class FailStopHandler implements FragmentHandler
{
    private final FragmentHandler delegate;
    private Throwable failure;

    FailStopHandler(final FragmentHandler delegate)
    {
        this.delegate = delegate;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (failure == null)
        {
            try
            {
                delegate.onFragment(buffer, offset, length, header);
            }
            catch (final RuntimeException | Error ex)
            {
                failure = ex;
            }
        }
    }

    /**
     * Rethrow what a fragment threw during the last poll, if anything, on the agent's own path.
     */
    void rethrowFailure()
    {
        final Throwable failure = this.failure;
        if (failure instanceof RuntimeException)
        {
            throw (RuntimeException)failure;
        }
        if (failure instanceof Error)
        {
            throw (Error)failure;
        }
    }
}
