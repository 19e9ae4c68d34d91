package io.synod.core;

import io.synod.codecs.EntryType;
import io.synod.codecs.PromiseDecoder;
import io.synod.log.LogEntry;
import io.synod.log.PaxosLog;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The proposer role: phase 1 once for the whole tail when this node stands for leader, then phase 2 for every
 * command while it leads, with batched and pipelined Accepts per peer, the commit index from a majority under its
 * ballot, and catch-up of peers that miss chosen entries.
 */
final class Proposer
{
    private static final int MAX_MESSAGES_PER_PEER_PER_CYCLE = 16;
    /** Prepares repeated per candidacy before giving up: enough to ride out a lost message or two. */
    static final int MAX_PREPARE_REPEATS = 3;

    private final CoreConfig config;
    private final PaxosLog log;
    private final Acceptor acceptor;
    private final OutboundMessages out;
    private final CoreCounters counters;
    private final MemberIndex members;
    private final PhaseOneTally tally;
    private final LogEntry entry = new LogEntry();
    private final EntriesReader.OfPromise promiseReader = new EntriesReader.OfPromise();
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private final PeerProgress[] progress;
    private final long[] sortScratch;
    private final int majority;
    private final int windowEntries;
    private final int maxMessageLength;

    private long ballot;
    private long termStartSlot;
    private long phaseOneStartNs;
    private int prepareRepeats;
    // Cluster time: what this leader stamps on entries. It continues from the highest timestamp in the log when the
    // leader took over and advances with the local monotonic clock from then on, so it never goes backwards across
    // leaders and never depends on where a host's own clock starts.
    private long lastTimestamp;
    private long clusterTimeBase;
    private long localTimeBaseNs;

    Proposer(
        final CoreConfig config,
        final PaxosLog log,
        final Acceptor acceptor,
        final OutboundMessages out,
        final CoreCounters counters,
        final MemberIndex members)
    {
        this.config = config;
        this.log = log;
        this.acceptor = acceptor;
        this.out = out;
        this.counters = counters;
        this.members = members;
        this.majority = config.majority();
        this.windowEntries = config.windowEntries();
        this.maxMessageLength = config.maxMessageLength();
        final int count = members.count();
        this.tally = new PhaseOneTally(count);
        this.progress = new PeerProgress[count];
        for (int i = 0; i < count; i++)
        {
            progress[i] = new PeerProgress(config.heartbeatIntervalNs());
        }
        this.sortScratch = new long[count];
    }

    long ballot()
    {
        return ballot;
    }

    /**
     * Phase 1a: ask the others for their tails. This node's own acceptor counts towards the majority, but it promises
     * the ballot only when the others' promises make a majority ({@link #promiseOwnBallot()}), and reports its own
     * tail then: a candidacy that fails (its Prepares refused or unheard) leaves no promise behind that would later
     * make this node reject, and so depose, a leader the others elected meanwhile.
     *
     * @return true if this alone is a majority (a single-node cluster).
     */
    boolean startPhaseOne(final long nowNs, final long highestRoundSeen)
    {
        final long round = Ballot.nextRound(highestRoundSeen, acceptor.promisedBallot());
        ballot = Ballot.of(round, config.nodeId());
        phaseOneStartNs = nowNs;
        prepareRepeats = 0;
        counters.electionsStarted++;

        final long fromSlot = acceptor.firstUnchosenIndex();
        tally.reset(fromSlot);
        tally.markComplete(members.selfIndex());
        for (final int peerId : members.peerIds())
        {
            out.prepare(peerId, ballot, fromSlot);
        }
        return tally.completeCount() >= majority;
    }

    /**
     * The others' promises make a majority with this node's: promise our own ballot now (durable at this cycle's sync,
     * before any Accept under it leaves). {@link #becomeLeader(long)} then reports our own tail, read after the
     * promise as any acceptor's report is.
     *
     * @return false if this node's acceptor promised a higher ballot meanwhile: it cannot count itself.
     */
    boolean promiseOwnBallot()
    {
        if (acceptor.promisedBallot() > ballot)
        {
            return false;
        }
        acceptor.promise(ballot);
        return true;
    }

    /**
     * Repeat the Prepare to acceptors whose report is incomplete: a chunk or the Prepare itself may have been lost.
     *
     * @return false once the candidate has repeated it {@link #MAX_PREPARE_REPEATS} times without a majority: it
     * gives up and lets another node stand (acceptors that keep a leader's lease, or that are ahead of it, refuse).
     */
    boolean repeatPrepare(final long nowNs)
    {
        if (nowNs - phaseOneStartNs < config.electionTimeoutNs())
        {
            return true;
        }
        if (prepareRepeats >= MAX_PREPARE_REPEATS)
        {
            return false;
        }
        prepareRepeats++;
        phaseOneStartNs = nowNs;
        for (final int peerId : members.peerIds())
        {
            if (!tally.isComplete(members.indexOf(peerId)))
            {
                out.prepare(peerId, ballot, tally.fromSlot());
            }
        }
        return true;
    }

    /**
     * Phase 1b: one chunk of an acceptor's tail.
     *
     * @return true if a majority has now reported in full.
     */
    boolean onPromise(final PromiseDecoder promise)
    {
        if (promise.ballot() != ballot)
        {
            return false;
        }
        final int memberIndex = members.indexOf(promise.fromNodeId());
        if (tally.isComplete(memberIndex))
        {
            return false;
        }

        tally.onCommitIndex(memberIndex, promise.commitIndex());
        final EntriesReader entries = promiseReader.wrap(promise);
        long chunkEndSlot = promise.chunkFromSlot();
        while (entries.hasNext())
        {
            entries.next();
            tally.offer(entries.read(entry));
            chunkEndSlot = entries.slot() + 1;
        }
        tally.onChunk(
            memberIndex,
            promise.chunkFromSlot(),
            chunkEndSlot,
            promise.noMoreAccepted() == io.synod.codecs.BooleanType.TRUE);
        return tally.completeCount() >= majority;
    }

    /**
     * Phase 1 is done: re-propose, under our ballot, the highest-ballot value of every slot from our first unchosen
     * slot to the highest slot reported, with no-ops in the gaps.
     */
    void becomeLeader(final long nowNs)
    {
        // Our own first unchosen slot may have moved during phase 1 (Success from another node): start from there.
        final long fromSlot = acceptor.firstUnchosenIndex();
        offerOwnTail(fromSlot);
        final long maxSlot = Math.max(tally.maxSlot(), fromSlot - 1);
        lastTimestamp = Math.max(lastTimestamp, highestTimestamp(fromSlot, maxSlot));
        clusterTimeBase = lastTimestamp;
        localTimeBaseNs = nowNs;

        // Each slot is superseded in place under our ballot; nothing is cut first, so a crash part way through leaves
        // every slot holding either its old accepted value or the re-proposed one.
        for (long slot = fromSlot; slot <= maxSlot; slot++)
        {
            if (tally.read(slot, entry))
            {
                log.append(slot, ballot, entry);
            }
            else
            {
                log.append(slot, ballot, (byte)EntryType.NOOP.value(), 0, 0, lastTimestamp, payload, 0, 0);
            }
            counters.entriesProposed++;
        }
        acceptor.onOwnProposal(ballot, maxSlot);

        termStartSlot = fromSlot;
        for (int i = 0; i < progress.length; i++)
        {
            progress[i].reset(fromSlot, tally.reportedCommitIndex(i), nowNs);
        }
        counters.leadershipsWon++;
    }

    /**
     * @return true if no more commands fit in the window of proposed but unchosen slots.
     */
    boolean isWindowFull()
    {
        return log.nextSlot() - log.commitIndex() >= windowEntries;
    }

    /**
     * Append a new entry under our ballot; it goes out with the next {@link #replicate(long)}.
     *
     * @return the slot.
     */
    long propose(
        final byte type,
        final long sessionId,
        final long sequence,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long nowNs)
    {
        final long clusterTime = clusterTimeBase + (nowNs - localTimeBaseNs);
        if (clusterTime > lastTimestamp)
        {
            lastTimestamp = clusterTime;
        }
        final long slot = log.nextSlot();
        log.append(slot, ballot, type, sessionId, sequence, lastTimestamp, buffer, offset, length);
        acceptor.onOwnProposal(ballot, slot);
        counters.entriesProposed++;
        return slot;
    }

    /**
     * An acceptor's reply under some ballot.
     */
    void onAccepted(
        final int memberIndex,
        final long replyBallot,
        final long lastSlot,
        final boolean behind,
        final long nowNs)
    {
        if (replyBallot != ballot)
        {
            return;
        }
        progress[memberIndex].onAccepted(lastSlot, behind, nowNs);
    }

    /**
     * @param peerId a member other than this node.
     * @return slots this leader holds that the peer has not acknowledged under its ballot, 0 when it has them all.
     */
    long peerLag(final int peerId)
    {
        return Math.max(0, log.nextSlot() - 1 - progress[members.indexOf(peerId)].match());
    }

    /**
     * Advance the commit index to the highest slot held under our ballot by a majority.
     *
     * @return true if it moved.
     */
    boolean updateCommitIndex()
    {
        final int selfIndex = members.selfIndex();
        final long ownLastSlot = log.nextSlot() - 1;
        for (int i = 0; i < progress.length; i++)
        {
            sortScratch[i] = i == selfIndex ? ownLastSlot : progress[i].match();
        }
        Arrays.sort(sortScratch);
        // A peer may report chosen slots beyond our log (it learned them from an earlier leader); count only ours.
        final long chosenUpTo = Math.min(sortScratch[sortScratch.length - majority], ownLastSlot);
        if (chosenUpTo + 1 > log.commitIndex())
        {
            log.commitIndex(chosenUpTo + 1);
            return true;
        }
        return false;
    }

    /**
     * Send every peer what it has not been sent yet, within the window: Success for chosen slots it misses, Accept
     * for the rest. Peers at the same point share one encoding.
     *
     * @return messages sent.
     */
    int replicate()
    {
        final long end = log.nextSlot();
        final long commitIndex = log.commitIndex();
        int sent = 0;
        long encodedFrom = -1;
        boolean encodedSuccess = false;
        for (final int peerId : members.peerIds())
        {
            final PeerProgress peer = progress[members.indexOf(peerId)];
            int messages = 0;
            // Bytes, not only entries: only while the runtime can take a whole message for this peer (issue 8 case 5).
            while (peer.canSend(end, windowEntries) &&
                messages < MAX_MESSAGES_PER_PEER_PER_CYCLE &&
                out.peerCapacity(peerId) >= maxMessageLength)
            {
                final long from = peer.next();
                // Chosen slots go as Success (the peer marks them chosen at once); the rest as Accept.
                final boolean success = from < commitIndex;
                if (from != encodedFrom || success != encodedSuccess)
                {
                    if (success)
                    {
                        out.encodeSuccess(ballot, log, from, commitIndex, commitIndex);
                    }
                    else
                    {
                        out.encodeAccept(ballot, log, from, end, commitIndex);
                        counters.acceptsSent++;
                    }
                    encodedFrom = from;
                    encodedSuccess = success;
                }
                out.sendEncoded(peerId);
                peer.sent(out.encodedNextSlot());
                messages++;
                sent++;
            }
        }
        return sent;
    }

    /**
     * Once per heartbeat: a peer that has acknowledged nothing for a heartbeat interval while behind is sent again
     * from its last known slot (the batch or its reply was lost).
     */
    void onHeartbeatTick(final long nowNs)
    {
        final long lastSlot = log.nextSlot() - 1;
        for (final int peerId : members.peerIds())
        {
            progress[members.indexOf(peerId)].rewindIfSilent(lastSlot, nowNs);
        }
    }

    /**
     * The runtime could not deliver data already sent to this peer (it was not connected): send again from its last
     * acknowledged slot rather than wait a heartbeat interval for the silence to show.
     */
    void resendFromAcknowledged(final int memberIndex)
    {
        progress[memberIndex].rewindToAcknowledged();
    }

    /**
     * A peer's heartbeat says how far it knows the log chosen. A peer behind our commit index that has acknowledged
     * nothing for a heartbeat interval is idle, not in flight: send it the chosen entries it misses.
     */
    void onPeerCommitIndex(final int memberIndex, final long peerCommitIndex, final long nowNs)
    {
        progress[memberIndex].rewindToPeerCommit(peerCommitIndex, log.commitIndex(), nowNs);
    }

    long termStartSlot()
    {
        return termStartSlot;
    }

    /**
     * @return the highest timestamp of the entry before fromSlot and of every value to re-propose up to maxSlot: the
     * cluster time this leader continues from (a chosen entry's timestamp is always among them).
     */
    private long highestTimestamp(final long fromSlot, final long maxSlot)
    {
        long highest = 0;
        if (fromSlot > log.firstSlot() && log.read(fromSlot - 1, entry))
        {
            highest = entry.timestamp();
        }
        for (long slot = fromSlot; slot <= maxSlot; slot++)
        {
            if (tally.read(slot, entry))
            {
                highest = Math.max(highest, entry.timestamp());
            }
        }
        return highest;
    }

    private void offerOwnTail(final long fromSlot)
    {
        for (long slot = fromSlot, end = log.nextSlot(); slot < end; slot++)
        {
            log.read(slot, entry);
            tally.offer(entry);
        }
    }
}
