package io.synod.perf.compare;

import org.agrona.concurrent.UnsafeBuffer;

/** The load client's view of a cluster under test: send a command, poll for responses, count leader changes. */
public interface LoadTarget extends AutoCloseable
{
    /** Told of each response, by the sequence {@link #offer} returned. */
    @FunctionalInterface
    interface Responses
    {
        void onResponse(long sequence);
    }

    /**
     * @param command the command's bytes (its whole capacity is sent).
     * @return the command's sequence (positive, one more than the last), or 0 if it could not be sent now.
     */
    long offer(UnsafeBuffer command);

    /** @return work done: responses and other messages handled. */
    int poll();

    /** @return elections so far, as the nodes' counters tell. */
    long leaderChanges();

    /** @return new-leader events the client was told of so far. */
    long clientNewLeaders();

    /** @return responses so far that say the command failed. */
    long failedResponses();

    @Override
    void close();
}
