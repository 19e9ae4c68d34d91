package io.synod;

import org.agrona.DirectBuffer;

/**
 * The user's deterministic state machine, one copy per node. Synod applies every chosen command to it in slot
 * order, exactly once per client sequence.
 * <p>
 * Determinism is the user's side of the contract: given the same commands in the same order, every copy must make
 * the same state changes and the same responses. Use the {@code timestamp} argument (the cluster's log time, see
 * {@link #apply}) instead of a local clock, and no randomness that is not seeded by the commands.
 * <p>
 * <b>A throwing {@code apply} stops the node (fail-stop).</b> {@link #apply} is called exactly once per chosen entry
 * in each incarnation of a node. If it throws (any {@link Throwable}), the node does not retry the entry, does not skip
 * it, and does not count it as applied: it stops for good. It no longer applies, leads, votes, sends heartbeats or
 * answers clients, so the rest of the cluster sees it as crashed; a leader steps down. The cause goes to the node's
 * error handler ({@code io.synod.node.Context#errorHandler()}) as a {@link StateMachineFailedException} that names the node, slot,
 * session and sequence and carries the exception; {@code io.synod.node.SynodNode#isFailed()} and
 * {@code io.synod.node.SynodNode#failureCause()} expose it, and the node's "failed" counter shows 1. The reasons: an apply that
 * threw may have changed part of the state, so retrying mutates it again and skipping leaves this copy different
 * from the others. A deterministic state machine that throws for a command throws on every node, so the cluster
 * stops, loudly, rather than diverge; one that throws on one node only (a bug, a resource limit) loses that node
 * while a majority carries on. Recovery is an operator's act: fix the state machine (or, for a bad command, make
 * {@code apply} refuse it without throwing, as a response) and restart the node, which applies its log again from the
 * start to a fresh state machine. Do not throw to refuse a command: answer it, or refuse it earlier with
 * {@link #validate}.
 * <p>
 * <b>Validation before the log.</b> {@link #validate} is called on the leader only, before a client command is
 * proposed. A command it refuses never enters the log and no state machine sees it: in its place the leader logs a
 * small REJECTED entry holding the session, the sequence and the reason, so that the session's sequence moves on alike
 * on every node and a retry after a failover gets the same answer. The client receives the response code
 * {@code REJECTED} with the reason as payload. Because it runs on the leader against the leader's applied state,
 * commands already proposed but not yet applied are not reflected: validate what can be judged from the command
 * itself (format, ranges, limits) or what no later command can change. {@code apply} must still be total: a command
 * that passed validation can meet a state that changed in between.
 * <p>
 * Called on the node's agent thread only.
 */
public interface StateMachine
{
    /**
     * Apply one chosen command. Must not throw: a throw stops this node (see the class comment).
     *
     * @param slot      the log index of the command; strictly increasing across calls.
     * @param timestamp log time in nanoseconds: the cluster time the leader stamped on the command, never lower than
     *                  the log time of an earlier command. It starts at 0 with the cluster's first leader and advances
     *                  with the leaders' monotonic clocks; it is not wall-clock time and does not depend on which
     *                  host leads (a new leader continues from the log).
     * @param command   the command bytes, a view into the log: valid only during this call (zero copy).
     * @param offset    of the command in the buffer.
     * @param length    of the command in bytes.
     * @param response  where to write the bytes returned to the client; leave it empty for an empty response.
     */
    void apply(long slot, long timestamp, DirectBuffer command, int offset, int length, ResponseWriter response);

    /**
     * Judge a client command on the leader before it is proposed; the default accepts everything. Called on the hot
     * path: do not allocate, and do not change the state (only {@link #apply} may). Not called for a retry the leader
     * answers from the session's record. A throw is reported to the error handler and refuses the command with an
     * empty reason; the node carries on (validation changes nothing).
     *
     * @param sessionId the client session sending the command.
     * @param command   the command bytes, valid only during this call.
     * @param offset    of the command in the buffer.
     * @param length    of the command in bytes.
     * @param reason    where to write why the command is refused (sent to the client with {@code REJECTED}); empty
     *                  on entry, may stay empty. Ignored when the command is accepted.
     * @return true to propose the command, false to refuse it with {@code REJECTED}.
     */
    default boolean validate(
        final long sessionId,
        final DirectBuffer command,
        final int offset,
        final int length,
        final ResponseWriter reason)
    {
        return true;
    }
}
