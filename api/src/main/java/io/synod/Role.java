package io.synod;

/**
 * What a node is doing in the protocol. The code is what the role counter shows.
 */
public enum Role
{
    /** Accepts and learns; redirects clients to the leader. */
    FOLLOWER(0),
    /** Running phase 1 for its ballot. */
    CANDIDATE(1),
    /** Phase 1 done: proposes client commands with phase 2 only. */
    LEADER(2);

    private final int code;

    Role(final int code)
    {
        this.code = code;
    }

    /**
     * @return the value shown by the role counter.
     */
    public int code()
    {
        return code;
    }
}
