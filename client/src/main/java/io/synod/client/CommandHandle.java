package io.synod.client;

import org.agrona.DirectBuffer;

/**
 * A future-like handle on one command: done once its response arrived (the client is polled by
 * {@link SynodClient#poll()} or by {@link #await(SynodClient)}; in own-thread mode the client thread completes it and
 * {@link #await(SynodClient)} only waits). The response fields are written before the volatile done flag, so any
 * thread that sees {@link #isDone()} true reads them. Allocates: for a zero-allocation path use a
 * {@link ResponseListener}.
 */
public final class CommandHandle implements ResponseListener
{
    private long sequence = -1;
    private ResponseCode code;
    private long slot = -1;
    private byte[] response;
    private volatile boolean done;

    public void onResponse(
        final long sequence,
        final ResponseCode code,
        final long slot,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        this.sequence = sequence;
        this.code = code;
        this.slot = slot;
        this.response = new byte[length];
        payload.getBytes(offset, response);
        done = true;
    }

    /**
     * Poll the client (poll mode) or wait for the client thread (own-thread mode) until this command is done or the
     * client's connect timeout passes.
     *
     * @param client the client that sent the command.
     * @return this.
     * @throws io.aeron.exceptions.TimeoutException if no answer came in time.
     */
    public CommandHandle await(final SynodClient client)
    {
        client.awaitDone(this);
        return this;
    }

    /** @return whether the response arrived. */
    public boolean isDone()
    {
        return done;
    }

    /** @return the command's sequence, -1 until done. */
    public long sequence()
    {
        return sequence;
    }

    /** @return the outcome, null until done. */
    public ResponseCode code()
    {
        return code;
    }

    /** @return whether the command was applied (OK or DUPLICATE). */
    public boolean isApplied()
    {
        return code == ResponseCode.OK || code == ResponseCode.DUPLICATE;
    }

    /** @return the slot it was applied at, -1 if unknown. */
    public long slot()
    {
        return slot;
    }

    /** @return the state machine's response, the reason for REJECTED, empty for DUPLICATE; null until done. */
    public byte[] response()
    {
        return response;
    }

    public String toString()
    {
        return "CommandHandle{sequence=" + sequence + ", code=" + code + ", slot=" + slot + '}';
    }
}
