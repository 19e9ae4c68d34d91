package io.synod.core;

import io.synod.codecs.AcceptEncoder;
import io.synod.codecs.AcceptedEncoder;
import io.synod.codecs.BooleanType;
import io.synod.codecs.HeartbeatEncoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.PrepareEncoder;
import io.synod.codecs.PromiseEncoder;
import io.synod.codecs.RedirectEncoder;
import io.synod.codecs.RejectedEncoder;
import io.synod.codecs.RejoinQueryEncoder;
import io.synod.codecs.RejoinReplyEncoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseEncoder;
import io.synod.codecs.SuccessEncoder;
import io.synod.log.EntryChecksum;
import io.synod.log.LogEntry;
import io.synod.log.PaxosLog;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes the core's messages with SBE into one reused buffer and hands them to the {@link Outbox}. One encoder
 * instance per message type, reused: nothing is allocated per message.
 */
final class OutboundMessages
{
    private final Outbox outbox;
    private final int nodeId;
    private final int clusterId;
    private final int[] peerIds;
    private final int maxMessageLength;
    private final int maxBatchEntries;
    private final UnsafeBuffer buffer;
    private final LogEntry entry = new LogEntry();
    private final EntryChecksum checksum = new EntryChecksum();
    private final EntriesWriter.OfAccept acceptWriter = new EntriesWriter.OfAccept();
    private final EntriesWriter.OfSuccess successWriter = new EntriesWriter.OfSuccess();
    private final EntriesWriter.OfPromise promiseWriter = new EntriesWriter.OfPromise();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final PrepareEncoder prepare = new PrepareEncoder();
    private final PromiseEncoder promise = new PromiseEncoder();
    private final AcceptEncoder accept = new AcceptEncoder();
    private final AcceptedEncoder accepted = new AcceptedEncoder();
    private final RejectedEncoder rejected = new RejectedEncoder();
    private final SuccessEncoder success = new SuccessEncoder();
    private final RejoinQueryEncoder rejoinQuery = new RejoinQueryEncoder();
    private final RejoinReplyEncoder rejoinReply = new RejoinReplyEncoder();
    private final ResponseEncoder response = new ResponseEncoder();
    private final RedirectEncoder redirect = new RedirectEncoder();
    private int encodedLength;
    private long encodedNextSlot;

    OutboundMessages(final Outbox outbox, final CoreConfig config, final int[] peerIds)
    {
        this.outbox = outbox;
        this.nodeId = config.nodeId();
        this.clusterId = config.clusterId();
        this.peerIds = peerIds;
        this.maxMessageLength = config.maxMessageLength();
        this.maxBatchEntries = config.maxBatchEntries();
        this.buffer = new UnsafeBuffer(new byte[maxMessageLength]);
    }

    void broadcastHeartbeat(
        final long ballot,
        final int leaderNodeId,
        final boolean isLeader,
        final long commitIndex,
        final long nextSlot,
        final boolean voting,
        final boolean hearsMajority,
        final long heardMembers)
    {
        heartbeat.wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(nodeId)
            .clusterId(clusterId)
            .ballot(ballot)
            .leaderNodeId(leaderNodeId)
            .isLeader(isLeader ? BooleanType.TRUE : BooleanType.FALSE)
            .commitIndex(commitIndex)
            .nextSlot(nextSlot)
            .voting(voting ? BooleanType.TRUE : BooleanType.FALSE)
            .hearsMajority(hearsMajority ? BooleanType.TRUE : BooleanType.FALSE)
            .heardMembers(heardMembers);
        broadcast(MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength());
    }

    void rejoinQuery(final int peerId, final long nonce)
    {
        rejoinQuery.wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(nodeId)
            .clusterId(clusterId)
            .nonce(nonce);
        outbox.sendToPeer(peerId, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + rejoinQuery.encodedLength());
    }

    void rejoinReply(
        final int peerId,
        final long nonce,
        final long promisedBallot,
        final long nextSlot,
        final long commitIndex,
        final boolean voting)
    {
        rejoinReply.wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(nodeId)
            .clusterId(clusterId)
            .nonce(nonce)
            .promisedBallot(promisedBallot)
            .nextSlot(nextSlot)
            .commitIndex(commitIndex)
            .voting(voting ? BooleanType.TRUE : BooleanType.FALSE);
        outbox.sendToPeer(peerId, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + rejoinReply.encodedLength());
    }

    void prepare(final int peerId, final long ballot, final long fromSlot)
    {
        prepare.wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(nodeId)
            .ballot(ballot)
            .fromSlot(fromSlot)
            .clusterId(clusterId);
        outbox.sendToPeer(peerId, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + prepare.encodedLength());
    }

    /**
     * Stream the acceptor's tail from fromSlot in chunks of at most maxMessageLength; the last says noMoreAccepted.
     * Chosen slots are never sent: an acceptor promises only a candidate whose fromSlot is at or above its commit
     * index (docs/protocol.md, "Election"), so the tail holds only entries not known chosen here, at most what the
     * leaders' windows left unchosen, never the whole log.
     */
    void promise(final int peerId, final long ballot, final PaxosLog log, final long fromSlot, final long commitIndex)
    {
        if (fromSlot < commitIndex)
        {
            throw new IllegalStateException("Promise from slot " + fromSlot + " below the commit index " +
                commitIndex + ": the candidate is behind and must be refused");
        }
        long slot = Math.max(fromSlot, log.firstSlot());
        final long end = log.nextSlot();
        do
        {
            final long chunkFromSlot = slot;
            promise.wrapAndApplyHeader(buffer, 0, header)
                .fromNodeId(nodeId)
                .ballot(ballot)
                .chunkFromSlot(chunkFromSlot)
                .commitIndex(commitIndex)
                .noMoreAccepted(BooleanType.FALSE)
                .clusterId(clusterId);
            final EntriesWriter entries = promiseWriter.wrap(promise.entriesCount(maxBatchEntries));
            slot = putEntries(entries, log, slot, end, MessageHeaderEncoder.ENCODED_LENGTH + promise.encodedLength());
            if (slot >= end)
            {
                promise.noMoreAccepted(BooleanType.TRUE);
            }
            outbox.sendToPeer(peerId, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + promise.encodedLength());
        }
        while (slot < end);
    }

    /**
     * Encode an Accept of the entries in [fromSlot, toSlot) of the log, as many as fit in one message. Send it with
     * {@link #sendEncoded(int)}; {@link #encodedNextSlot()} is the first slot not included.
     */
    void encodeAccept(
        final long ballot, final PaxosLog log, final long fromSlot, final long toSlot, final long commitIndex)
    {
        accept.wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(nodeId)
            .ballot(ballot)
            .firstSlot(fromSlot)
            .commitIndex(commitIndex)
            .clusterId(clusterId);
        final EntriesWriter entries = acceptWriter.wrap(accept.entriesCount(maxBatchEntries), ballot);
        encodedNextSlot =
            putEntries(entries, log, fromSlot, toSlot, MessageHeaderEncoder.ENCODED_LENGTH + accept.encodedLength());
        encodedLength = MessageHeaderEncoder.ENCODED_LENGTH + accept.encodedLength();
    }

    /**
     * Encode a Success of the chosen entries in [fromSlot, toSlot), as many as fit in one message. Send it with
     * {@link #sendEncoded(int)}; {@link #encodedNextSlot()} is the first slot not included.
     */
    void encodeSuccess(
        final long ballot, final PaxosLog log, final long fromSlot, final long toSlot, final long commitIndex)
    {
        success.wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(nodeId)
            .ballot(ballot)
            .firstSlot(fromSlot)
            .commitIndex(commitIndex)
            .clusterId(clusterId);
        final EntriesWriter entries = successWriter.wrap(success.entriesCount(maxBatchEntries));
        encodedNextSlot =
            putEntries(entries, log, fromSlot, toSlot, MessageHeaderEncoder.ENCODED_LENGTH + success.encodedLength());
        encodedLength = MessageHeaderEncoder.ENCODED_LENGTH + success.encodedLength();
    }

    /**
     * Fill an entries group with the log's entries from fromSlot, before toSlot, while they fit in one message of at
     * most maxMessageLength bytes (the first always goes) and maxBatchEntries entries. Each carries the checksum of
     * the record the receiver makes of it.
     *
     * @param length bytes of the message before the entries.
     * @return the first slot not included.
     */
    private long putEntries(
        final EntriesWriter entries, final PaxosLog log, final long fromSlot, final long toSlot, final int length)
    {
        int messageLength = length;
        long slot = fromSlot;
        int count = 0;
        while (slot < toSlot && count < maxBatchEntries)
        {
            log.read(slot, entry);
            final int entryLength = entries.entryOverhead() + entry.payloadLength();
            if (count > 0 && messageLength + entryLength > maxMessageLength)
            {
                break;
            }
            final long recordedBallot = entries.recordedBallot(slot, entry);
            entries.put(slot, recordedBallot, entry, checksum.compute(slot, recordedBallot, entry));
            messageLength += entryLength;
            count++;
            slot++;
        }
        entries.finish();
        return slot;
    }

    long encodedNextSlot()
    {
        return encodedNextSlot;
    }

    /**
     * @return bytes of data messages the peer can take now; see {@link Outbox#peerCapacity(int)}.
     */
    int peerCapacity(final int peerId)
    {
        return outbox.peerCapacity(peerId);
    }

    void sendEncoded(final int peerId)
    {
        outbox.sendToPeer(peerId, buffer, 0, encodedLength);
    }

    void accepted(final int peerId, final long ballot, final long lastSlot, final long commitIndex, final boolean behind)
    {
        accepted.wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(nodeId)
            .ballot(ballot)
            .lastSlot(lastSlot)
            .commitIndex(commitIndex)
            .behind(behind ? BooleanType.TRUE : BooleanType.FALSE)
            .clusterId(clusterId);
        outbox.sendToPeer(peerId, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + accepted.encodedLength());
    }

    void rejected(final int peerId, final long ballot, final long promisedBallot)
    {
        rejected.wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(nodeId)
            .ballot(ballot)
            .promisedBallot(promisedBallot)
            .clusterId(clusterId);
        outbox.sendToPeer(peerId, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + rejected.encodedLength());
    }

    void response(
        final long clientId,
        final long sessionId,
        final long sequence,
        final ResponseCode code,
        final long slot,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        response.wrapAndApplyHeader(buffer, 0, header)
            .sessionId(sessionId)
            .sequence(sequence)
            .code(code)
            .slot(slot)
            .putPayload(payload, offset, length);
        outbox.sendToClient(clientId, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + response.encodedLength());
    }

    void response(final long clientId, final long sessionId, final long sequence, final ResponseCode code)
    {
        response(clientId, sessionId, sequence, code, -1, buffer, 0, 0);
    }

    void redirect(final long clientId, final long sessionId, final long sequence, final int leaderNodeId)
    {
        redirect.wrapAndApplyHeader(buffer, 0, header)
            .sessionId(sessionId)
            .sequence(sequence)
            .leaderNodeId(leaderNodeId);
        outbox.sendToClient(clientId, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + redirect.encodedLength());
    }

    private void broadcast(final int length)
    {
        for (final int peerId : peerIds)
        {
            outbox.sendToPeer(peerId, buffer, 0, length);
        }
    }
}
