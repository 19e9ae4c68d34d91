package io.synod.samples.cluster;

import org.agrona.DirectBuffer;

/**
 * Sends one command to the replicated state machine and waits for its response: the only thing a sample's client
 * facade needs from a Synod client. {@link ClientCommandSender} implements it over a Synod client session, with its
 * sequence numbers and retries; a test can implement it over a local state machine.
 */
public interface CommandSender
{
    /**
     * Send a command, applied exactly once, and wait until it is.
     *
     * @param command holding the command bytes.
     * @param offset  of the command in the buffer.
     * @param length  of the command in bytes.
     * @return the state machine's response: exactly the bytes from index 0 to {@code capacity()}. A view that is
     * valid until the next call, so copy what must outlive it.
     * @throws IllegalStateException if the command was not applied (refused, or no answer before the deadline).
     */
    DirectBuffer send(DirectBuffer command, int offset, int length);
}
