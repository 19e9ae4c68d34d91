package io.synod.core;

/**
 * A message was dropped because it could not be decoded or carried an impossible field. Reported to the node's error
 * handler and counted; the node's state is unchanged.
 */
final class MalformedMessageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message naming the cause.
     */
    MalformedMessageException(final String message)
    {
        super(message, null, false, false);
    }

    /**
     * @param message naming the cause.
     * @param cause   the decoding failure.
     */
    MalformedMessageException(final String message, final Throwable cause)
    {
        super(message, cause, false, false);
    }
}
