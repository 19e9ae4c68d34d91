package io.synod;

import org.agrona.DirectBuffer;

/**
 * The user's deterministic state machine, one copy per node. Synod applies every chosen command to it in slot
 * order, exactly once per client sequence.
 * <p>
 * Determinism is the user's side of the contract: given the same commands in the same order, every copy must make
 * the same state changes and the same responses. Use the {@code timestamp} argument (the leader's clock when it
 * proposed the command) instead of a local clock, and no randomness that is not seeded by the commands.
 * <p>
 * Called on the node's agent thread only.
 */
public interface StateMachine
{
    /**
     * Apply one chosen command.
     *
     * @param slot      the log index of the command; strictly increasing across calls.
     * @param timestamp the leader's clock (nanoseconds) when it proposed the command.
     * @param command   the command bytes, a view into the log: valid only during this call (zero copy).
     * @param offset    of the command in the buffer.
     * @param length    of the command in bytes.
     * @param response  where to write the bytes returned to the client; leave it empty for an empty response.
     */
    void apply(long slot, long timestamp, DirectBuffer command, int offset, int length, ResponseWriter response);
}
