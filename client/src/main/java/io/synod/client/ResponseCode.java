package io.synod.client;

/**
 * The outcome of a command, as a {@link ResponseListener} or {@link CommandHandle} sees it. The client's own type, so
 * that applications do not depend on the generated wire codecs; each value has a wire counterpart of the same name
 * ({@link #of(io.synod.codecs.ResponseCode)}); {@link #TIMED_OUT} is one a node never sends.
 */
public enum ResponseCode
{
    /** Applied; the payload is the state machine's response. */
    OK,
    /** A session was opened (the client's own step; listeners do not see it). */
    SESSION_OPENED,
    /** Applied earlier; the response is no longer retained (older than the session's window). */
    DUPLICATE,
    /** An earlier sequence is missing at the leader (the client resends; listeners do not see it). */
    SEQUENCE_GAP,
    /** No such session (never opened, closed or expired): the session is lost. */
    UNKNOWN_SESSION,
    /** The command is larger than the cluster's maximum: the session is lost. */
    TOO_LARGE,
    /** The leader's pipeline was full (the client retries; listeners do not see it). */
    BUSY,
    /** The session was closed. */
    SESSION_CLOSED,
    /** The request could not be decoded: the session is lost. */
    MALFORMED,
    /** No session could be opened: the cluster holds its maximum. */
    TOO_MANY_SESSIONS,
    /** Refused by the state machine's validation, never applied; the payload is the reason; the session goes on. */
    REJECTED,
    /** The deadline given with the command passed first (with sequence -1: never sent, never applied). */
    TIMED_OUT,
    /** The request did not carry the session's key, or came from another principal than its opener: refused. */
    NOT_SESSION_OWNER;

    private static final ResponseCode[] BY_WIRE_VALUE = new ResponseCode[io.synod.codecs.ResponseCode.values().length];

    static
    {
        for (final io.synod.codecs.ResponseCode wire : io.synod.codecs.ResponseCode.values())
        {
            if (wire != io.synod.codecs.ResponseCode.NULL_VAL)
            {
                BY_WIRE_VALUE[wire.ordinal()] = valueOf(wire.name()); // every wire code has a client twin
            }
        }
    }

    /**
     * @param wire a decoded response code.
     * @return the client's twin of it (allocation-free).
     */
    public static ResponseCode of(final io.synod.codecs.ResponseCode wire)
    {
        return BY_WIRE_VALUE[wire.ordinal()];
    }
}
