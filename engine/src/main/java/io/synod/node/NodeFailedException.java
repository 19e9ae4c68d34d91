package io.synod.node;

/**
 * A node stopped itself (fail-stop) because its duty cycle failed: typically its log could not be written (a full
 * file system, an I/O error, corruption found at run time). Reported once to the error handler; the cause is the
 * original exception, naming the file and size where the log knows them. The node sends and receives nothing
 * afterwards, so the others elect a leader without it; its counters stay readable until it is closed. {@link SynodNode#isFailed()} and {@link SynodNode#failureCause()} expose it;
 * restart the node (after fixing the cause) to bring it back.
 */
public final class NodeFailedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what stopped, and why.
     * @param cause   the exception that escaped the duty cycle.
     */
    public NodeFailedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
