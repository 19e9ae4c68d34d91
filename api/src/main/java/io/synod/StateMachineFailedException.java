package io.synod;

/**
 * A {@link StateMachine#apply} call threw: the node's copy of the state is no longer known to match the others, so the
 * node stops (fail-stop). Names the entry, so an operator can find the command in the log; the state machine's
 * exception is the cause.
 */
public final class StateMachineFailedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int nodeId;
    private final long slot;
    private final long sessionId;
    private final long sequence;

    /**
     * @param nodeId    the node whose state machine threw.
     * @param slot      the log slot of the command.
     * @param sessionId the command's client session.
     * @param sequence  the command's sequence in its session.
     * @param cause     what the state machine threw.
     */
    public StateMachineFailedException(
        final int nodeId, final long slot, final long sessionId, final long sequence, final Throwable cause)
    {
        super("node " + nodeId + " failed: state machine apply threw at slot " + slot + " (session " + sessionId +
            ", sequence " + sequence + "); the node stopped applying, leading and voting: " + cause, cause);
        this.nodeId = nodeId;
        this.slot = slot;
        this.sessionId = sessionId;
        this.sequence = sequence;
    }

    /** @return the node whose state machine threw. */
    public int nodeId()
    {
        return nodeId;
    }

    /** @return the log slot of the command whose apply threw. */
    public long slot()
    {
        return slot;
    }

    /** @return the command's client session. */
    public long sessionId()
    {
        return sessionId;
    }

    /** @return the command's sequence in its session. */
    public long sequence()
    {
        return sequence;
    }
}
