package io.synod.node;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;

/**
 * What a node knows of one connected client: its egress publication (made from the client's Connect), the messages
 * waiting for it, and when it was last heard from.
 * <p>
 * The publication is added asynchronously: a blocking add would stall the node's duty cycle for a round trip to the
 * media driver each time a client connects. Until the driver has made it, responses wait in the queue.
 */
final class ClientEndpoint
{
    final long clientId;
    final String channel;
    final int streamId;
    final DestinationQueue queue;
    /** Whom the authenticator said the client is; {@code Authenticator#ANONYMOUS} without authentication. */
    String principal = Authenticator.ANONYMOUS;
    /** The principal as the core's 64-bit id, the same on every node. */
    long principalId;
    /** Session opens this connection asked for: capped per client. */
    int sessionOpens;
    /** Correlation id of the last session open counted: its retries are not counted again. */
    long lastOpenCorrelationId;
    long lastActivityNs;
    /** A challenge was sent and is not answered yet: nothing but its ChallengeResponse is taken from the client. */
    boolean challengePending;
    /** The id the pending challenge's response must echo. */
    long challengeId;
    /** When the pending challenge is refused unanswered, on the node's clock. */
    long challengeDeadlineNs;
    /** Accepted after a challenge: the client's Connect refreshes on this connection are not challenged again. */
    boolean challengeAccepted;
    /** Refused with a ConnectRefused message: kept only until that message has left, never admitted. */
    boolean refused;
    boolean everConnected;
    boolean queuedForFlush;
    /** Reported as over the egress budget since its queue was last empty: said once per episode. */
    boolean overBudgetReported;
    private final Aeron aeron;
    private final ErrorHandler errorHandler;
    private final long registrationId;
    private ExclusivePublication publication;
    private boolean failed;

    ClientEndpoint(
        final long clientId,
        final String channel,
        final int streamId,
        final Aeron aeron,
        final long registrationId,
        final ErrorHandler errorHandler,
        final int queueCapacity,
        final EgressBudget budget,
        final long nowNs)
    {
        this.clientId = clientId;
        this.channel = channel;
        this.streamId = streamId;
        this.aeron = aeron;
        this.registrationId = registrationId;
        this.errorHandler = errorHandler;
        this.queue = new DestinationQueue(queueCapacity, budget);
        this.lastActivityNs = nowNs;
    }

    /**
     * @return the egress publication once the driver has made it; null while it is being made or if the driver
     * refused it (then {@link #failed()}, reported once to the error handler).
     */
    ExclusivePublication publication()
    {
        if (null == publication && !failed)
        {
            try
            {
                publication = aeron.getExclusivePublication(registrationId);
            }
            catch (final RuntimeException ex)
            {
                failed = true;
                errorHandler.onError(new IllegalArgumentException("Connect from client " + clientId +
                    " names a response channel the media driver refused '" + channel + "' stream " + streamId + ": " +
                    ex.getMessage()));
            }
        }
        return publication;
    }

    /**
     * @return true if the driver refused the publication: the client cannot be answered.
     */
    boolean failed()
    {
        return failed;
    }

    /** @return whether a Connect names the channel and stream this endpoint was made for. */
    boolean answersOn(final String channel, final int streamId)
    {
        return this.streamId == streamId && this.channel.equals(channel);
    }

    /** @return whether the client may send requests: not waiting for the answer to a challenge, nor refused. */
    boolean admitted()
    {
        return !challengePending && !refused;
    }

    /** @return whether the client's egress is up now, remembering that it once was. */
    boolean isConnected()
    {
        final ExclusivePublication current = publication();
        final boolean connected = null != current && current.isConnected();
        everConnected |= connected;
        return connected;
    }

    /**
     * Release the publication, or cancel its making if the driver has not finished.
     */
    void close()
    {
        queue.release(); // its capacity goes back to the node's egress budget
        if (null != publication)
        {
            CloseHelper.close(errorHandler, publication);
        }
        else if (!failed && !aeron.isClosed())
        {
            try
            {
                aeron.asyncRemovePublication(registrationId);
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }
    }
}
