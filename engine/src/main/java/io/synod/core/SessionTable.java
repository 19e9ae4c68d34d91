package io.synod.core;

import io.synod.codecs.ResponseCode;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Iterator;

/**
 * Client sessions: replicated state, changed only by applying chosen entries, so every node holds the same table.
 * Per session it keeps the last applied sequence and its response, so a command retried after a failover is answered
 * from here and never applied twice.
 */
final class SessionTable
{
    /**
     * One client session.
     */
    static final class Session
    {
        final long id;
        long lastSequence;
        long lastSlot = -1;
        ResponseCode lastCode = ResponseCode.OK;
        long lastActivityTimestamp;
        int responseLength;
        private final ExpandableArrayBuffer response = new ExpandableArrayBuffer(64);

        Session(final long id, final long timestamp)
        {
            this.id = id;
            this.lastActivityTimestamp = timestamp;
        }

        /**
         * The answer to the session's latest sequence: OK with the state machine's response, or REJECTED with the
         * reason (slot -1: nothing was applied).
         */
        void recordResponse(
            final long sequence,
            final long slot,
            final ResponseCode code,
            final DirectBuffer source,
            final int length)
        {
            lastSequence = sequence;
            lastSlot = slot;
            lastCode = code;
            responseLength = length;
            if (length > 0)
            {
                response.putBytes(0, source, 0, length);
            }
        }

        DirectBuffer response()
        {
            return response;
        }
    }

    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();

    Session open(final long id, final long timestamp)
    {
        final Session session = new Session(id, timestamp);
        sessions.put(id, session);
        return session;
    }

    Session get(final long id)
    {
        return sessions.get(id);
    }

    boolean close(final long id)
    {
        return sessions.remove(id) != null;
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
            if (iterator.next().lastActivityTimestamp < oldestActive)
            {
                iterator.remove();
                expired++;
            }
        }
        return expired;
    }
}
