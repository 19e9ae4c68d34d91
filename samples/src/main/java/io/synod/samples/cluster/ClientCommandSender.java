package io.synod.samples.cluster;

import io.synod.client.ClientContext;
import io.synod.client.ResponseListener;
import io.synod.client.ResponseCode;
import io.synod.client.SynodClient;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * A {@link CommandSender} over a {@link SynodClient} in poll mode: offers each command with a reused
 * {@link ResponseListener}, polls the client until the outcome arrives, and answers a view of the copied response.
 * The client's session gives the exactly-once, its failover and retries the resends; this only waits. Allocates
 * nothing per command. Not thread safe: one sender per client, like the client itself in poll mode.
 */
public final class ClientCommandSender implements CommandSender
{
    private final SynodClient client;
    private final IdleStrategy idleStrategy;
    private final NanoClock clock;
    private final long timeoutNs;
    private final ExpandableArrayBuffer responseBytes = new ExpandableArrayBuffer(1024);
    private final UnsafeBuffer responseView = new UnsafeBuffer(0, 0);
    private final ResponseListener listener = this::onResponse;

    private long awaitedSequence;
    private boolean answered;
    private boolean applied;
    private ResponseCode answeredCode;
    private int answeredLength;

    /**
     * @param client a connected client in poll mode (the default); this sender polls it.
     */
    public ClientCommandSender(final SynodClient client)
    {
        final ClientContext ctx = client.context();
        this.client = client;
        this.idleStrategy = ctx.idleStrategy();
        this.clock = ctx.nanoClock();
        this.timeoutNs = ctx.connectTimeoutNs();
    }

    /**
     * Offer the command (polling while the client's window is full), then poll until its outcome arrives.
     *
     * @throws IllegalStateException if the command was not applied with a response (refused, session lost) or no
     *                               outcome came within the client's connect timeout.
     */
    public DirectBuffer send(final DirectBuffer command, final int offset, final int length)
    {
        final long deadlineNs = clock.nanoTime() + timeoutNs;
        answered = false;
        long sequence;
        while ((sequence = client.offer(command, offset, length, listener)) == SynodClient.WINDOW_FULL)
        {
            idleStrategy.idle(client.poll());
            checkDeadline(deadlineNs, "a place in the client's window");
        }
        awaitedSequence = sequence;
        idleStrategy.reset();
        while (!answered)
        {
            idleStrategy.idle(client.poll());
            checkDeadline(deadlineNs, "the response to sequence " + sequence);
        }
        if (!applied)
        {
            throw new IllegalStateException("command sequence " + sequence + " of session " + client.sessionId() +
                ": expected OK, answered " + answeredCode);
        }
        responseView.wrap(responseBytes, 0, answeredLength);
        return responseView;
    }

    /** @return the client this sender polls. */
    public SynodClient client()
    {
        return client;
    }

    private void checkDeadline(final long deadlineNs, final String awaited)
    {
        if (clock.nanoTime() > deadlineNs)
        {
            throw new IllegalStateException("no " + awaited + " within " +
                TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms: " + client);
        }
    }

    private void onResponse(
        final long sequence,
        final ResponseCode code,
        final long slot,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        if (sequence != awaitedSequence)
        {
            return; // one command at a time: an outcome for another sequence is not this call's
        }
        answered = true;
        answeredCode = code;
        applied = code == ResponseCode.OK; // DUPLICATE carries no response; the rest were not applied
        answeredLength = length;
        responseBytes.putBytes(0, payload, offset, length);
    }
}
