package io.synod.core;

import io.synod.codecs.ResponseCode;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Iterator;

/**
 * Client sessions: replicated state, changed only by applying chosen entries, so every node holds the same table.
 * Per session it keeps the responses of the last {@code window} applied sequences (the client's window, fixed when
 * the session opens), so every command of a pipelined window retried after a failover is answered with its own
 * response and never applied twice.
 */
final class SessionTable
{
    /**
     * One client session: a ring of the responses of its last {@code window} sequences, indexed by sequence modulo
     * window. Sequences are applied one by one, so the ring always holds exactly
     * {@code (lastSequence - window, lastSequence]}. The arrays are sized at open and each response buffer grows to the
     * largest response it held, so applying a command allocates nothing once the ring went round.
     */
    static final class Session
    {
        final long id;
        final int window;
        /** The secret the client opened the session with: a request must carry it (its owner's proof). */
        final long key;
        /** The owner's principal ({@link #ANONYMOUS} without authentication): a request must come from it. */
        final long principal;
        long lastSequence;
        long lastActivityTimestamp;
        private final long[] slots;
        private final ResponseCode[] codes;
        private final int[] lengths;
        private final ExpandableArrayBuffer[] responses;

        Session(final long id, final long timestamp, final int window, final long key, final long principal)
        {
            this.id = id;
            this.key = key;
            this.principal = principal;
            this.lastActivityTimestamp = timestamp;
            this.window = window;
            slots = new long[window];
            codes = new ResponseCode[window];
            lengths = new int[window];
            responses = new ExpandableArrayBuffer[window];
        }

        /**
         * The answer to the session's next sequence: OK with the state machine's response, or REJECTED with the
         * reason (slot -1: nothing was applied). Replaces the answer window sequences back.
         */
        void recordResponse(
            final long sequence,
            final long slot,
            final ResponseCode code,
            final DirectBuffer source,
            final int length)
        {
            final int index = index(sequence);
            lastSequence = sequence;
            slots[index] = slot;
            codes[index] = code;
            lengths[index] = length;
            if (length > 0)
            {
                ExpandableArrayBuffer response = responses[index];
                if (null == response)
                {
                    response = new ExpandableArrayBuffer(Math.max(64, length)); // once per ring position
                    responses[index] = response;
                }
                response.putBytes(0, source, 0, length);
            }
        }

        /**
         * @return true if the response to sequence is kept: applied, and among the last window sequences.
         */
        boolean holdsResponse(final long sequence)
        {
            return sequence >= 1 && sequence <= lastSequence && sequence > lastSequence - window;
        }

        long slot(final long sequence)
        {
            return slots[index(sequence)];
        }

        ResponseCode code(final long sequence)
        {
            return codes[index(sequence)];
        }

        int responseLength(final long sequence)
        {
            return lengths[index(sequence)];
        }

        /**
         * @return the response bytes of a held sequence, from offset 0, {@link #responseLength(long)} long.
         */
        DirectBuffer response(final long sequence)
        {
            final ExpandableArrayBuffer response = responses[index(sequence)];
            return null == response ? EMPTY : response;
        }

        private int index(final long sequence)
        {
            return (int)(sequence % window);
        }
    }

    /** Principal of a session opened without authentication: no per-principal count. */
    static final long ANONYMOUS = 0;

    private static final DirectBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();
    private final Long2LongHashMap sessionsByPrincipal = new Long2LongHashMap(0);

    Session open(final long id, final long timestamp, final int window, final long key, final long principal)
    {
        final Session session = new Session(id, timestamp, window, key, principal);
        sessions.put(id, session);
        if (principal != ANONYMOUS)
        {
            sessionsByPrincipal.put(principal, sessionsByPrincipal.get(principal) + 1);
        }
        return session;
    }

    /**
     * @return open sessions of the principal; 0 for {@link #ANONYMOUS}, which is not counted.
     */
    long sessionsOf(final long principal)
    {
        return sessionsByPrincipal.get(principal);
    }

    private void forget(final Session session)
    {
        if (session.principal != ANONYMOUS)
        {
            final long remaining = sessionsByPrincipal.get(session.principal) - 1;
            if (remaining <= 0)
            {
                sessionsByPrincipal.remove(session.principal);
            }
            else
            {
                sessionsByPrincipal.put(session.principal, remaining);
            }
        }
    }

    Session get(final long id)
    {
        return sessions.get(id);
    }

    boolean close(final long id)
    {
        final Session session = sessions.remove(id);
        if (session != null)
        {
            forget(session);
        }
        return session != null;
    }

    int size()
    {
        return sessions.size();
    }

    /**
     * Remove sessions idle since before oldestActive (log time).
     *
     * @return how many were removed.
     */
    int expire(final long oldestActive)
    {
        int expired = 0;
        final Iterator<Session> iterator = sessions.values().iterator();
        while (iterator.hasNext())
        {
            final Session session = iterator.next();
            if (session.lastActivityTimestamp < oldestActive)
            {
                iterator.remove();
                forget(session);
                expired++;
            }
        }
        return expired;
    }
}
