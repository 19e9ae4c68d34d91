package io.synod.node;

/**
 * Reported to the node's error handler, rate-limited, when peer messages are refused before the protocol core sees
 * them: not authenticated with the cluster key, or sent by a node configured with another member list. The message
 * names the sender's address and the reason.
 */
public final class PeerRefusedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message names the sender and the reason.
     */
    public PeerRefusedException(final String message)
    {
        super(message, null, false, false);
    }
}
