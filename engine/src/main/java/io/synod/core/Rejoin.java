package io.synod.core;

import io.synod.log.PaxosLog;

/**
 * The way back to voting for a node whose log was created empty without bootstrap: a disk that was lost, wiped or
 * replaced, or the first start of a member of a cluster that forms with every member up. Such a node is a learner: it
 * stores and applies what it is sent but makes no promise and casts no vote until this rule lets it
 * (docs/protocol.md, "A node that lost its log", says why it is safe):
 * <ol>
 *     <li>every heartbeat interval it asks each other member that has not yet answered its current nonce for its
 *     durable promise and log end ({@code RejoinQuery});</li>
 *     <li>once every other member answered, it raises its own promise to the highest promise replied (the fence F):
 *     no ballot it promised before the loss can be below that;</li>
 *     <li>it votes once its commit index reaches the highest log end replied (K): every value chosen with its
 *     forgotten vote lies below K, and it then holds each of them as chosen.</li>
 * </ol>
 * Every node, voting or not, answers the queries ({@code RejoinReply}). The nonce changes with every start of the
 * core (time of its first tick, mixed with the configured incarnation), so a reply to a query sent before the node
 * last lost its log never counts.
 */
final class Rejoin
{
    private final PaxosLog log;
    private final Acceptor acceptor;
    private final OutboundMessages out;
    private final MemberIndex members;
    private final long incarnation;
    private final boolean[] answered;
    private int unanswered;
    private long nonce;
    private long fence;
    private long catchUpTo;

    Rejoin(
        final CoreConfig config,
        final PaxosLog log,
        final Acceptor acceptor,
        final OutboundMessages out,
        final MemberIndex members)
    {
        this.log = log;
        this.acceptor = acceptor;
        this.out = out;
        this.members = members;
        this.incarnation = config.incarnation();
        this.answered = new boolean[members.count()];
        this.unanswered = members.count() - 1;
        if (config.bootstrap() && !log.voting() && isPristine(log))
        {
            log.voting(true); // the very first start of a brand-new cluster: durable at the first sync
        }
    }

    /**
     * A log that has never held anything: no entry, no promise, nothing chosen.
     */
    private static boolean isPristine(final PaxosLog log)
    {
        return log.firstSlot() == 0 && log.nextSlot() == 0 && log.promisedBallot() == 0 && log.commitIndex() == 0;
    }

    /**
     * The core's first tick: fixes the nonce of this incarnation's queries.
     */
    void start(final long nowNs)
    {
        nonce = mix(nowNs ^ mix(incarnation));
    }

    /**
     * SplitMix64's finalizer: a bijection, so for one incarnation value different first ticks give different nonces.
     */
    private static long mix(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    boolean isLearner()
    {
        return !log.voting();
    }

    /**
     * Once per heartbeat interval: ask the members that have not answered yet.
     */
    void onHeartbeatTick()
    {
        if (log.voting() || unanswered == 0)
        {
            return;
        }
        final int selfIndex = members.selfIndex();
        for (int i = 0; i < answered.length; i++)
        {
            if (i != selfIndex && !answered[i])
            {
                out.rejoinQuery(members.idAt(i), nonce);
            }
        }
    }

    /**
     * Any node answers with its acceptor state. The promise and log end are durable by the time the reply leaves:
     * the runtime syncs the log before it sends the cycle's messages.
     */
    void onQuery(final int fromNodeId, final long queryNonce, final long candidacyBallot)
    {
        // A candidate promises its own ballot only when it wins; until then that ballot still has to fence the
        // learner, whose forgotten promise to it the candidate may be counting on.
        final long promised = Math.max(log.promisedBallot(), candidacyBallot);
        out.rejoinReply(fromNodeId, queryNonce, promised, log.nextSlot(), log.commitIndex(), log.voting());
    }

    /**
     * A member's answer. When the last one arrives the promise is raised to the fence; it is durable at this cycle's
     * sync, before anything this node sends afterwards leaves.
     */
    void onReply(final int fromNodeId, final long replyNonce, final long promisedBallot, final long nextSlot)
    {
        final int index = members.indexOf(fromNodeId);
        if (log.voting() || replyNonce != nonce || answered[index])
        {
            return;
        }
        answered[index] = true;
        unanswered--;
        fence = Math.max(fence, promisedBallot);
        catchUpTo = Math.max(catchUpTo, nextSlot);
        if (unanswered == 0)
        {
            acceptor.promise(fence);
        }
    }

    /**
     * End of a cycle: a learner that heard every member and caught up votes from now on. The flag is durable with the
     * sync that precedes the first message sent as a voter.
     *
     * @return true if this node has just become a voter.
     */
    boolean checkCaughtUp()
    {
        if (log.voting() || unanswered > 0 || log.commitIndex() < catchUpTo)
        {
            return false;
        }
        log.voting(true);
        return true;
    }

    /** @return the highest promise replied, once every member answered. */
    long fence()
    {
        return fence;
    }

    /** @return the highest log end replied: the commit index this learner must reach. */
    long catchUpTo()
    {
        return catchUpTo;
    }

    /** @return members that have not answered the current nonce yet. */
    int unanswered()
    {
        return unanswered;
    }
}
