package io.synod.client;

import io.synod.StateMachine;
import org.agrona.DirectBuffer;

/**
 * Told the outcome of one command sent by {@link SynodClient#offer(DirectBuffer, int, int, ResponseListener)}, on
 * the thread that polls the client, or in own-thread mode ({@link ClientContext#useOwnThread(boolean)}) on the client
 * thread {@code synod-client}: keep it short, and hand results to other threads yourself.
 */
@FunctionalInterface
public interface ResponseListener
{
    /**
     * @param sequence the command's sequence in its session; -1 for a command still queued (own-thread mode) when
     *                 the session was lost.
     * @param code     OK (applied, payload is the state machine's response), DUPLICATE (applied; the response was
     *                 not retained: older than the session's window), REJECTED (refused by
     *                 {@link StateMachine#validate}, never applied; payload is the reason; the session goes on), or a
     *                 refusal that ends the session: UNKNOWN_SESSION, TOO_LARGE, MALFORMED; SEQUENCE_GAP/BUSY never
     *                 (the client retries those itself). TIMED_OUT: the deadline given to
     *                 {@link SynodClient#offer(DirectBuffer, int, int, ResponseListener, long)} passed first; with
     *                 sequence -1 the command was never sent, otherwise it may still be applied.
     * @param slot     slot the command was applied at, -1 if unknown.
     * @param payload  the response bytes, valid only during the call.
     * @param offset   of the response.
     * @param length   of the response.
     */
    void onResponse(long sequence, ResponseCode code, long slot, DirectBuffer payload, int offset, int length);
}
