package io.synod.core;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.SuccessDecoder;
import io.synod.log.LogEntry;
import io.synod.log.PaxosLog;

/**
 * The acceptor role: keeps promises, accepts entries, learns which slots are chosen.
 * <p>
 * Its invariant, which the leader's commit counting relies on: the entries accepted under one ballot b form one
 * contiguous run that starts at or below the acceptor's firstUnchosenIndex. An Accept is taken only where it follows
 * that run (or the chosen prefix), so "lastSlot under b" in an Accepted reply means every slot from the chosen prefix
 * to lastSlot holds b's value or is chosen.
 */
final class Acceptor
{
    private final PaxosLog log;
    private final OutboundMessages out;
    private final CoreCounters counters;
    private final LogEntry entry = new LogEntry();
    private final EntriesReader.OfAccept acceptReader = new EntriesReader.OfAccept();
    private final EntriesReader.OfSuccess successReader = new EntriesReader.OfSuccess();
    private long runBallot = -1;
    private long runEnd = -1;

    Acceptor(final PaxosLog log, final OutboundMessages out, final CoreCounters counters)
    {
        this.log = log;
        this.out = out;
        this.counters = counters;
    }

    long promisedBallot()
    {
        return log.promisedBallot();
    }

    long firstUnchosenIndex()
    {
        return log.commitIndex();
    }

    /**
     * Promise a ballot (durably, per the log's policy). Never lowers the promise.
     *
     * @return true if the promise went up.
     */
    boolean promise(final long ballot)
    {
        if (ballot > log.promisedBallot())
        {
            log.promisedBallot(ballot);
            return true;
        }
        return false;
    }

    /**
     * Phase 1b. The caller has raised the promise if ballot was higher.
     *
     * @return false if refused: ballot below the promise.
     */
    boolean onPrepare(final int fromNodeId, final long ballot, final long fromSlot)
    {
        final long promised = log.promisedBallot();
        if (ballot < promised)
        {
            out.rejected(fromNodeId, ballot, promised);
            counters.rejectionsSent++;
            return false;
        }
        promise(ballot);
        out.promise(fromNodeId, ballot, log, fromSlot, log.commitIndex());
        return true;
    }

    /**
     * Phase 2b for one batch.
     *
     * @return false if refused: ballot below the promise.
     */
    boolean onAccept(final AcceptDecoder accept)
    {
        final int fromNodeId = accept.fromNodeId();
        final long ballot = accept.ballot();
        final long promised = log.promisedBallot();
        if (ballot < promised)
        {
            out.rejected(fromNodeId, ballot, promised);
            counters.rejectionsSent++;
            return false;
        }
        promise(ballot);

        final long firstSlot = accept.firstSlot();
        final long commitIndex = accept.commitIndex();
        final long firstUnchosen = log.commitIndex();
        if (firstSlot > firstUnchosen && log.ballotAt(firstSlot - 1) != ballot)
        {
            // A batch before this one was lost or reordered: ask the leader to go back.
            learnCommit(ballot, commitIndex);
            out.accepted(fromNodeId, ballot, reportedSlot(ballot), log.commitIndex(), true);
            counters.acceptsBehind++;
            return true;
        }

        final EntriesReader entries = acceptReader.wrap(accept);
        final long endSlot = firstSlot + entries.count();
        // A slot held under a lower ballot is superseded in place: the log keeps the old record until the new one is
        // durable, and later slots are untouched (they may be all that is left of a value chosen under an older
        // ballot). A slot already held under this ballot holds this value.
        take(entries, firstUnchosen, false);

        if (runBallot != ballot)
        {
            runBallot = ballot;
            runEnd = scanRunEnd(ballot);
        }
        else
        {
            runEnd = Math.max(runEnd, endSlot - 1);
        }

        learnCommit(ballot, commitIndex);
        out.accepted(fromNodeId, ballot, reportedSlot(ballot), log.commitIndex(), false);
        return true;
    }

    /**
     * Chosen entries the leader found missing here. Chosen is chosen whatever the sender's ballot, so these are taken
     * from any node; they replace what this acceptor holds in those slots.
     * <p>
     * The sender's ballot is promised too (if higher). That keeps Accepted replies honest: they count the chosen
     * prefix as accepted under the Accept's ballot, which is only true for ballots at least as high as any ballot
     * this acceptor learned chosen values from (such ballots propose the chosen value in those slots).
     */
    void onSuccess(final SuccessDecoder success)
    {
        final int fromNodeId = success.fromNodeId();
        final long ballot = success.ballot();
        final long firstSlot = success.firstSlot();
        promise(ballot);
        learnCommit(ballot, success.commitIndex());

        final long firstUnchosen = log.commitIndex();
        final EntriesReader entries = successReader.wrap(success);
        final long endSlot = firstSlot + entries.count();
        if (firstSlot > firstUnchosen)
        {
            reply(fromNodeId, ballot, true);
            counters.acceptsBehind++;
            return;
        }

        if (endSlot > firstUnchosen)
        {
            take(entries, firstUnchosen, true);
            log.commitIndex(endSlot);
            learnCommit(ballot, success.commitIndex());
        }
        reply(fromNodeId, ballot, false);
    }

    /**
     * Write the entries of an Accept or Success at their slots from firstUnchosen on (chosen slots below are
     * immutable), each under the ballot the message gives it.
     *
     * @param replaceSameBallot false to keep a slot already held under the entry's ballot (an Accept's value for that
     *                          slot), true to write every entry (a Success's chosen value).
     */
    private void take(final EntriesReader entries, final long firstUnchosen, final boolean replaceSameBallot)
    {
        while (entries.hasNext())
        {
            entries.next();
            final long slot = entries.slot();
            if (slot >= firstUnchosen && (replaceSameBallot || log.ballotAt(slot) != entries.ballot()))
            {
                countSuperseded(slot);
                log.append(slot, entries.ballot(), entries.read(entry));
            }
            else
            {
                entries.skipPayload();
            }
        }
    }

    /**
     * Answer a Success. A sender below our promise is a stale leader: an Accepted would let it count our chosen
     * prefix as accepted under its ballot, which is only true for ballots at least our promise, so it is told of the
     * promise instead and steps down.
     */
    private void reply(final int fromNodeId, final long ballot, final boolean behind)
    {
        final long promised = log.promisedBallot();
        if (ballot < promised)
        {
            out.rejected(fromNodeId, ballot, promised);
            counters.rejectionsSent++;
        }
        else
        {
            out.accepted(fromNodeId, ballot, reportedSlot(ballot), log.commitIndex(), behind);
        }
    }

    /**
     * Full disclosure: every slot below the sender's commit index whose entry here carries the sender's ballot holds
     * the sender's value, so it is chosen here too.
     */
    void learnCommit(final long ballot, final long commitIndex)
    {
        long firstUnchosen = log.commitIndex();
        final long limit = Math.min(commitIndex, log.nextSlot());
        if (runBallot == ballot && runEnd >= firstUnchosen)
        {
            firstUnchosen = Math.min(limit, runEnd + 1);
        }
        while (firstUnchosen < limit)
        {
            final long entryBallot = log.ballotAt(firstUnchosen);
            if (entryBallot != ballot && entryBallot != Ballot.CHOSEN)
            {
                break;
            }
            firstUnchosen++;
        }
        if (firstUnchosen > log.commitIndex())
        {
            log.commitIndex(firstUnchosen);
        }
    }

    /**
     * The leader's own acceptance: entries it proposes are appended here under its ballot.
     */
    void onOwnProposal(final long ballot, final long slot)
    {
        if (runBallot != ballot)
        {
            runBallot = ballot;
            runEnd = scanRunEnd(ballot);
        }
        runEnd = Math.max(runEnd, slot);
    }

    /**
     * What an Accepted reply says this acceptor holds under ballot. A learner (not voting: it lost its log and has not
     * rejoined yet) reports only its chosen prefix, which is chosen already, so its reply is never a vote.
     */
    private long reportedSlot(final long ballot)
    {
        return log.voting() ? matchedSlot(ballot) : log.commitIndex() - 1;
    }

    /**
     * @return the highest slot such that everything from the chosen prefix to it is chosen or accepted under ballot.
     */
    long matchedSlot(final long ballot)
    {
        if (runBallot != ballot)
        {
            return log.commitIndex() - 1;
        }
        return Math.max(runEnd, log.commitIndex() - 1);
    }

    private void countSuperseded(final long slot)
    {
        if (slot < log.nextSlot())
        {
            counters.entriesSuperseded++;
        }
    }

    private long scanRunEnd(final long ballot)
    {
        long slot = log.commitIndex();
        final long end = log.nextSlot();
        while (slot < end && log.ballotAt(slot) == ballot)
        {
            slot++;
        }
        return slot - 1;
    }
}
