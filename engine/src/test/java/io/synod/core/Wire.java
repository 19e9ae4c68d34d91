package io.synod.core;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.AcceptEncoder;
import io.synod.codecs.AcceptedDecoder;
import io.synod.codecs.AcceptedEncoder;
import io.synod.codecs.BooleanType;
import io.synod.codecs.CommandEncoder;
import io.synod.codecs.EntryType;
import io.synod.codecs.HeartbeatEncoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.PrepareDecoder;
import io.synod.codecs.PrepareEncoder;
import io.synod.codecs.PromiseDecoder;
import io.synod.codecs.PromiseEncoder;
import io.synod.codecs.RejectedDecoder;
import io.synod.codecs.RejectedEncoder;
import io.synod.codecs.HeartbeatDecoder;
import io.synod.codecs.RejoinQueryDecoder;
import io.synod.codecs.RejoinQueryEncoder;
import io.synod.codecs.RejoinReplyDecoder;
import io.synod.codecs.RejoinReplyEncoder;
import io.synod.codecs.SessionOpenEncoder;
import io.synod.codecs.SuccessEncoder;
import io.synod.log.EntryChecksum;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds protocol messages for tests, and an outbox that keeps what a node sends.
 */
final class Wire
{
    /** The session key test clients use unless a test names another. */
    static final long KEY = 0x5eed5eedL;

    static final int NO_VALUE = -1;

    /**
     * A value of a slot in a test: entry type, session, sequence and text payload.
     */
    static final class Value
    {
        final long slot;
        final long ballot;
        final EntryType type;
        final String text;

        Value(final long slot, final long ballot, final EntryType type, final String text)
        {
            this.slot = slot;
            this.ballot = ballot;
            this.type = type;
            this.text = text;
        }

        static Value command(final long slot, final long ballot, final String text)
        {
            return new Value(slot, ballot, EntryType.COMMAND, text);
        }
    }

    /**
     * A message a node sent.
     */
    static final class Sent
    {
        final boolean toClient;
        final long to;
        final UnsafeBuffer buffer;
        final int templateId;

        Sent(final boolean toClient, final long to, final DirectBuffer source, final int offset, final int length)
        {
            this.toClient = toClient;
            this.to = to;
            final byte[] bytes = new byte[length];
            source.getBytes(offset, bytes);
            this.buffer = new UnsafeBuffer(bytes);
            this.templateId = new MessageHeaderDecoder().wrap(buffer, 0).templateId();
        }
    }

    static final class RecordingOutbox implements Outbox
    {
        final List<Sent> sent = new ArrayList<>();
        /** What {@link #peerCapacity(int)} says per peer; unlimited for a peer not in it. */
        final java.util.Map<Integer, Integer> capacity = new java.util.HashMap<>();

        public int peerCapacity(final int nodeId)
        {
            return capacity.getOrDefault(nodeId, Integer.MAX_VALUE);
        }

        public void sendToPeer(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
        {
            sent.add(new Sent(false, nodeId, buffer, offset, length));
        }

        public void sendToClient(final long clientId, final DirectBuffer buffer, final int offset, final int length)
        {
            sent.add(new Sent(true, clientId, buffer, offset, length));
        }

        List<Sent> take(final int templateId)
        {
            final List<Sent> matching = new ArrayList<>();
            for (final Sent message : sent)
            {
                if (message.templateId == templateId)
                {
                    matching.add(message);
                }
            }
            sent.removeAll(matching);
            return matching;
        }

        void clear()
        {
            sent.clear();
        }
    }

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final EntryChecksum checksum = new EntryChecksum();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    int length;

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    Wire heartbeat(final int from, final int clusterId, final long ballot, final boolean isLeader, final long commit)
    {
        final HeartbeatEncoder encoder = new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(from)
            .clusterId(clusterId)
            .ballot(ballot)
            .leaderNodeId(isLeader ? from : -1)
            .isLeader(isLeader ? BooleanType.TRUE : BooleanType.FALSE)
            .commitIndex(commit)
            .nextSlot(commit)
            .voting(BooleanType.TRUE)
            .hearsMajority(BooleanType.TRUE)
            .heardMembers(-1L);
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return this;
    }

    /**
     * A heartbeat from a follower that heard leaderId within its election timeout and promised ballot.
     */
    Wire heartbeatFollowing(final int from, final long ballot, final int leaderId, final long commit)
    {
        heartbeat(from, TestNode.CLUSTER, ballot, false, commit);
        new HeartbeatEncoder().wrap(buffer, MessageHeaderEncoder.ENCODED_LENGTH).leaderNodeId(leaderId);
        return this;
    }

    /**
     * A heartbeat from a follower that says whether it votes.
     */
    Wire heartbeat(final int from, final long ballot, final long commit, final boolean voting)
    {
        heartbeat(from, TestNode.CLUSTER, ballot, false, commit);
        new HeartbeatEncoder().wrap(buffer, MessageHeaderEncoder.ENCODED_LENGTH)
            .voting(voting ? BooleanType.TRUE : BooleanType.FALSE);
        return this;
    }

    Wire rejoinQuery(final int from, final long nonce)
    {
        final RejoinQueryEncoder encoder = new RejoinQueryEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(from).clusterId(TestNode.CLUSTER).nonce(nonce);
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return this;
    }

    Wire rejoinReply(final int from, final long nonce, final long promised, final long nextSlot, final long commit)
    {
        final RejoinReplyEncoder encoder = new RejoinReplyEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(from).clusterId(TestNode.CLUSTER).nonce(nonce).promisedBallot(promised).nextSlot(nextSlot)
            .commitIndex(commit).voting(BooleanType.TRUE);
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return this;
    }

    Wire prepare(final int from, final long ballot, final long fromSlot)
    {
        final PrepareEncoder encoder = new PrepareEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(from).ballot(ballot).fromSlot(fromSlot).clusterId(TestNode.CLUSTER);
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return this;
    }

    Wire promise(final int from, final long ballot, final long chunkFromSlot, final long commit, final Value... values)
    {
        final PromiseEncoder encoder = new PromiseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(from).ballot(ballot).chunkFromSlot(chunkFromSlot).commitIndex(commit)
            .noMoreAccepted(BooleanType.TRUE).clusterId(TestNode.CLUSTER);
        final PromiseEncoder.EntriesEncoder entries = encoder.entriesCount(values.length);
        for (final Value value : values)
        {
            final byte[] bytes = value.text.getBytes(StandardCharsets.US_ASCII);
            entries.next().slot(value.slot).ballot(value.ballot).entryType(value.type).sessionId(0).sequence(0)
                .timestamp(0).checksum(checksum(value.slot, value.ballot, value.type, bytes))
                .putPayload(bytes, 0, bytes.length);
        }
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return this;
    }

    Wire accept(final int from, final long ballot, final long firstSlot, final long commit, final String... texts)
    {
        final AcceptEncoder encoder = new AcceptEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(from).ballot(ballot).firstSlot(firstSlot).commitIndex(commit).clusterId(TestNode.CLUSTER);
        final AcceptEncoder.EntriesEncoder entries = encoder.entriesCount(texts.length);
        long slot = firstSlot;
        for (final String text : texts)
        {
            final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            entries.next().entryType(EntryType.COMMAND).sessionId(0).sequence(0).timestamp(0)
                .checksum(checksum(slot++, ballot, EntryType.COMMAND, bytes))
                .putPayload(bytes, 0, bytes.length);
        }
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return this;
    }

    Wire success(final int from, final long ballot, final long firstSlot, final long commit, final String... texts)
    {
        final SuccessEncoder encoder = new SuccessEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(from).ballot(ballot).firstSlot(firstSlot).commitIndex(commit).clusterId(TestNode.CLUSTER);
        final SuccessEncoder.EntriesEncoder entries = encoder.entriesCount(texts.length);
        long slot = firstSlot;
        for (final String text : texts)
        {
            final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            entries.next().entryType(EntryType.COMMAND).sessionId(0).sequence(0).timestamp(0)
                .checksum(checksum(slot++, Ballot.CHOSEN, EntryType.COMMAND, bytes))
                .putPayload(bytes, 0, bytes.length);
        }
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return this;
    }

    Wire accepted(final int from, final long ballot, final long lastSlot, final long commit)
    {
        final AcceptedEncoder encoder = new AcceptedEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(from).ballot(ballot).lastSlot(lastSlot).commitIndex(commit).behind(BooleanType.FALSE)
            .clusterId(TestNode.CLUSTER);
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return this;
    }

    Wire rejected(final int from, final long ballot, final long promised)
    {
        final RejectedEncoder encoder = new RejectedEncoder().wrapAndApplyHeader(buffer, 0, header)
            .fromNodeId(from).ballot(ballot).promisedBallot(promised).clusterId(TestNode.CLUSTER);
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return this;
    }

    Wire sessionOpen(final long correlationId)
    {
        return sessionOpen(correlationId, 1);
    }

    Wire sessionOpen(final long correlationId, final int window)
    {
        return sessionOpen(correlationId, window, KEY);
    }

    Wire sessionOpen(final long correlationId, final int window, final long key)
    {
        final SessionOpenEncoder encoder = new SessionOpenEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(correlationId).window(window).sessionKey(key);
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return this;
    }

    Wire command(final long sessionId, final long sequence, final byte[] payload)
    {
        return command(sessionId, sequence, payload, KEY);
    }

    Wire command(final long sessionId, final long sequence, final byte[] payload, final long key)
    {
        final CommandEncoder encoder = new CommandEncoder().wrapAndApplyHeader(buffer, 0, header)
            .sessionId(sessionId).sequence(sequence).sessionKey(key).putPayload(payload, 0, payload.length);
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return this;
    }

    /**
     * The checksum a correct sender puts on an entry: the log record's CRC for it.
     */
    private int checksum(final long slot, final long ballot, final EntryType type, final byte[] payload)
    {
        return checksum.compute(slot, ballot, (byte)type.value(), 0, 0, 0, new UnsafeBuffer(payload), 0, payload.length);
    }

    /**
     * Flip one bit of the first occurrence of text in the message: its structure stays valid.
     */
    Wire corrupt(final String text)
    {
        final byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + needle.length <= length; i++)
        {
            boolean match = true;
            for (int j = 0; j < needle.length && match; j++)
            {
                match = buffer.getByte(i + j) == needle[j];
            }
            if (match)
            {
                buffer.putByte(i, (byte)(buffer.getByte(i) ^ 0x01));
                return this;
            }
        }
        throw new IllegalArgumentException("'" + text + "' not in the message");
    }

    void toPeer(final PaxosNode node)
    {
        node.onPeerMessage(buffer, 0, length);
    }

    void fromClient(final PaxosNode node, final long clientId)
    {
        node.onClientMessage(clientId, buffer, 0, length);
    }

    void fromClient(final PaxosNode node, final long clientId, final long principal)
    {
        node.onClientMessage(clientId, principal, buffer, 0, length);
    }

    static PrepareDecoder prepare(final Sent sent)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(sent.buffer, 0);
        return new PrepareDecoder().wrap(sent.buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
    }

    static PromiseDecoder promise(final Sent sent)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(sent.buffer, 0);
        return new PromiseDecoder().wrap(sent.buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
    }

    static AcceptedDecoder accepted(final Sent sent)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(sent.buffer, 0);
        return new AcceptedDecoder().wrap(sent.buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
    }

    static RejectedDecoder rejected(final Sent sent)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(sent.buffer, 0);
        return new RejectedDecoder().wrap(sent.buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
    }

    static HeartbeatDecoder heartbeat(final Sent sent)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(sent.buffer, 0);
        return new HeartbeatDecoder().wrap(sent.buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
    }

    static RejoinQueryDecoder rejoinQuery(final Sent sent)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(sent.buffer, 0);
        return new RejoinQueryDecoder().wrap(sent.buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
    }

    static RejoinReplyDecoder rejoinReply(final Sent sent)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(sent.buffer, 0);
        return new RejoinReplyDecoder().wrap(sent.buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
    }

    static String payload(final AcceptDecoder.EntriesDecoder entries)
    {
        final byte[] bytes = new byte[entries.payloadLength()];
        entries.getPayload(bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    static <T> T decode(final Sent sent, final java.util.function.Function<MessageHeaderDecoder, T> wrap)
    {
        return wrap.apply(new MessageHeaderDecoder().wrap(sent.buffer, 0));
    }
}
