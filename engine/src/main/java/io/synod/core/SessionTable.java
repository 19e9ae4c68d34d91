package io.synod.core;

import io.synod.ResponseWriter;
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
        long lastActivityTimestamp;
        int responseLength;
        private final ExpandableArrayBuffer response = new ExpandableArrayBuffer(64);

        Session(final long id, final long timestamp)
        {
            this.id = id;
            this.lastActivityTimestamp = timestamp;
        }

        void recordResponse(final long sequence, final long slot, final ResponseWriter writer)
        {
            lastSequence = sequence;
            lastSlot = slot;
            responseLength = writer.length();
            if (responseLength > 0)
            {
                response.putBytes(0, writer.buffer(), 0, responseLength);
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
