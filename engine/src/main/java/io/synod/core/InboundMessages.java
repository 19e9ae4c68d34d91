package io.synod.core;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.AcceptedDecoder;
import io.synod.codecs.CommandDecoder;
import io.synod.codecs.HeartbeatDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.PrepareDecoder;
import io.synod.codecs.PromiseDecoder;
import io.synod.codecs.RejectedDecoder;
import io.synod.codecs.RejoinQueryDecoder;
import io.synod.codecs.RejoinReplyDecoder;
import io.synod.codecs.SessionCloseDecoder;
import io.synod.codecs.SessionOpenDecoder;
import io.synod.codecs.SuccessDecoder;
import io.synod.log.EntryChecksum;
import io.synod.log.LogEntry;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes and checks every incoming message before the core acts on it: header, schema, version, bounds, and fields
 * that cannot be (negative slots or ballots, unknown nodes, unknown entry types, oversize payloads). A bad message is
 * reported to the error handler with its cause, counted, and dropped whole, so the core's state is unchanged.
 * <p>
 * Decoding happens on a view of exactly the message's bytes, so a truncated message fails the bounds check instead of
 * reading whatever follows it in the receive buffer. One decoder per message type, reused.
 */
final class InboundMessages
{
    /** Returned by the decode methods when the message was dropped. */
    static final int DROPPED = -1;

    /** Schema version from which entries carry a checksum; a version 1 sender (rolling upgrade) sends none. */
    private static final int CHECKSUM_VERSION = 2;
    private static final int CHECKSUM_LENGTH = Integer.BYTES;

    final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
    final PrepareDecoder prepare = new PrepareDecoder();
    final RejoinQueryDecoder rejoinQuery = new RejoinQueryDecoder();
    final RejoinReplyDecoder rejoinReply = new RejoinReplyDecoder();
    final PromiseDecoder promise = new PromiseDecoder();
    final AcceptDecoder accept = new AcceptDecoder();
    final AcceptedDecoder accepted = new AcceptedDecoder();
    final RejectedDecoder rejected = new RejectedDecoder();
    final SuccessDecoder success = new SuccessDecoder();
    final SessionOpenDecoder sessionOpen = new SessionOpenDecoder();
    final CommandDecoder command = new CommandDecoder();
    final SessionCloseDecoder sessionClose = new SessionCloseDecoder();

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final EntryChecksum checksum = new EntryChecksum();
    private final LogEntry entry = new LogEntry();
    private final EntriesReader.OfAccept acceptReader = new EntriesReader.OfAccept();
    private final EntriesReader.OfSuccess successReader = new EntriesReader.OfSuccess();
    private final EntriesReader.OfPromise promiseReader = new EntriesReader.OfPromise();
    private final MemberIndex members;
    private final int clusterId;
    private final int maxPayloadLength;
    private final CoreCounters counters;
    private final ErrorHandler errorHandler;
    private int senderNodeId;

    InboundMessages(
        final MemberIndex members,
        final CoreConfig config,
        final CoreCounters counters,
        final ErrorHandler errorHandler)
    {
        this.members = members;
        this.clusterId = config.clusterId();
        this.maxPayloadLength = config.maxPayloadLength();
        this.counters = counters;
        this.errorHandler = errorHandler;
    }

    /**
     * Decode a peer message.
     *
     * @return its template id with the matching decoder wrapped, or {@link #DROPPED}.
     */
    int decodePeer(final DirectBuffer buffer, final int offset, final int length)
    {
        final int templateId = decodeHeader(buffer, offset, length, "peer");
        if (templateId == DROPPED)
        {
            return DROPPED;
        }
        try
        {
            final String problem = checkPeer(templateId, length);
            if (problem != null)
            {
                return drop("peer " + templateId + ": " + problem, null);
            }
            return templateId;
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return drop("peer message template " + templateId + " truncated at " + length + " bytes", ex);
        }
    }

    /**
     * @return the sender of the peer message {@link #decodePeer} last accepted.
     */
    int senderNodeId()
    {
        return senderNodeId;
    }

    /**
     * Decode a client request.
     *
     * @return its template id with the matching decoder wrapped, or {@link #DROPPED}.
     */
    int decodeClient(final DirectBuffer buffer, final int offset, final int length)
    {
        final int templateId = decodeHeader(buffer, offset, length, "client");
        if (templateId == DROPPED)
        {
            return DROPPED;
        }
        try
        {
            final String problem = checkClient(templateId, length);
            if (problem != null)
            {
                return drop("client " + templateId + ": " + problem, null);
            }
            return templateId;
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return drop("client message template " + templateId + " truncated at " + length + " bytes", ex);
        }
    }

    private int decodeHeader(final DirectBuffer buffer, final int offset, final int length, final String channel)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return drop(channel + " message truncated: " + length + " bytes is shorter than the header", null);
        }
        view.wrap(buffer, offset, length);
        header.wrap(view, 0);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return drop(channel + " message with unknown schema id " + header.schemaId() + ", expected " +
                MessageHeaderDecoder.SCHEMA_ID, null);
        }
        if (header.version() < 1 || header.version() > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            return drop(channel + " message with unsupported schema version " + header.version() +
                ", this node reads 1.." + MessageHeaderDecoder.SCHEMA_VERSION, null);
        }
        return header.templateId();
    }

    private String checkPeer(final int templateId, final int length)
    {
        final int blockLength = header.blockLength();
        final int version = header.version();
        final int at = MessageHeaderDecoder.ENCODED_LENGTH;
        switch (templateId)
        {
            case HeartbeatDecoder.TEMPLATE_ID:
                // A version 1 heartbeat ends before the voting field; it is read as voting.
                if (blockLength < (version < HeartbeatDecoder.votingSinceVersion() ?
                    HeartbeatDecoder.votingEncodingOffset() : HeartbeatDecoder.BLOCK_LENGTH))
                {
                    return "block too short";
                }
                heartbeat.wrap(view, at, blockLength, version);
                return firstProblem(
                    fits(heartbeat.sbeDecodedLength(), length),
                    peer(heartbeat.fromNodeId(), heartbeat.clusterId()),
                    bounded("ballot", heartbeat.ballot()),
                    notNegative("commitIndex", heartbeat.commitIndex()),
                    notNegative("nextSlot", heartbeat.nextSlot()));

            case PrepareDecoder.TEMPLATE_ID:
                if (blockLength < PrepareDecoder.BLOCK_LENGTH)
                {
                    return "block too short";
                }
                prepare.wrap(view, at, blockLength, version);
                return firstProblem(
                    fits(prepare.sbeDecodedLength(), length),
                    peer(prepare.fromNodeId(), prepare.clusterId()),
                    ownBallot(prepare.ballot(), prepare.fromNodeId()),
                    notNegative("fromSlot", prepare.fromSlot()));

            case PromiseDecoder.TEMPLATE_ID:
                if (blockLength < PromiseDecoder.BLOCK_LENGTH)
                {
                    return "block too short";
                }
                promise.wrap(view, at, blockLength, version);
                return firstProblem(
                    peer(promise.fromNodeId(), promise.clusterId()),
                    bounded("ballot", promise.ballot()),
                    notNegative("chunkFromSlot", promise.chunkFromSlot()),
                    notNegative("commitIndex", promise.commitIndex()),
                    promiseEntries(length));

            case AcceptDecoder.TEMPLATE_ID:
                if (blockLength < AcceptDecoder.BLOCK_LENGTH)
                {
                    return "block too short";
                }
                accept.wrap(view, at, blockLength, version);
                return firstProblem(
                    peer(accept.fromNodeId(), accept.clusterId()),
                    ownBallot(accept.ballot(), accept.fromNodeId()),
                    notNegative("firstSlot", accept.firstSlot()),
                    notNegative("commitIndex", accept.commitIndex()),
                    acceptEntries(length));

            case AcceptedDecoder.TEMPLATE_ID:
                if (blockLength < AcceptedDecoder.BLOCK_LENGTH)
                {
                    return "block too short";
                }
                accepted.wrap(view, at, blockLength, version);
                return firstProblem(
                    fits(accepted.sbeDecodedLength(), length),
                    peer(accepted.fromNodeId(), accepted.clusterId()),
                    bounded("ballot", accepted.ballot()),
                    accepted.lastSlot() < -1 ? "lastSlot " + accepted.lastSlot() + " below -1" : null,
                    notNegative("commitIndex", accepted.commitIndex()));

            case RejectedDecoder.TEMPLATE_ID:
                if (blockLength < RejectedDecoder.BLOCK_LENGTH)
                {
                    return "block too short";
                }
                rejected.wrap(view, at, blockLength, version);
                return firstProblem(
                    fits(rejected.sbeDecodedLength(), length),
                    peer(rejected.fromNodeId(), rejected.clusterId()),
                    bounded("ballot", rejected.ballot()),
                    bounded("promisedBallot", rejected.promisedBallot()));

            case SuccessDecoder.TEMPLATE_ID:
                if (blockLength < SuccessDecoder.BLOCK_LENGTH)
                {
                    return "block too short";
                }
                success.wrap(view, at, blockLength, version);
                return firstProblem(
                    peer(success.fromNodeId(), success.clusterId()),
                    ownBallot(success.ballot(), success.fromNodeId()),
                    notNegative("firstSlot", success.firstSlot()),
                    notNegative("commitIndex", success.commitIndex()),
                    successEntries(length));

            case RejoinQueryDecoder.TEMPLATE_ID:
                if (blockLength < RejoinQueryDecoder.BLOCK_LENGTH)
                {
                    return "block too short";
                }
                rejoinQuery.wrap(view, at, blockLength, version);
                return firstProblem(
                    fits(rejoinQuery.sbeDecodedLength(), length),
                    peer(rejoinQuery.fromNodeId(), rejoinQuery.clusterId()));

            case RejoinReplyDecoder.TEMPLATE_ID:
                if (blockLength < RejoinReplyDecoder.BLOCK_LENGTH)
                {
                    return "block too short";
                }
                rejoinReply.wrap(view, at, blockLength, version);
                return firstProblem(
                    fits(rejoinReply.sbeDecodedLength(), length),
                    peer(rejoinReply.fromNodeId(), rejoinReply.clusterId()),
                    bounded("promisedBallot", rejoinReply.promisedBallot()),
                    notNegative("nextSlot", rejoinReply.nextSlot()),
                    notNegative("commitIndex", rejoinReply.commitIndex()));

            default:
                return "unknown template id " + templateId;
        }
    }

    private String checkClient(final int templateId, final int length)
    {
        final int blockLength = header.blockLength();
        final int version = header.version();
        final int at = MessageHeaderDecoder.ENCODED_LENGTH;
        switch (templateId)
        {
            case SessionOpenDecoder.TEMPLATE_ID:
                // Version 1 has no window field: its shorter block is complete.
                final int sessionOpenBlock =
                    version < 2 ? SessionOpenDecoder.windowEncodingOffset() : SessionOpenDecoder.BLOCK_LENGTH;
                if (blockLength < sessionOpenBlock)
                {
                    return "block too short";
                }
                sessionOpen.wrap(view, at, blockLength, version);
                return fits(sessionOpen.sbeDecodedLength(), length);

            case CommandDecoder.TEMPLATE_ID:
                if (blockLength < CommandDecoder.BLOCK_LENGTH)
                {
                    return "block too short";
                }
                command.wrap(view, at, blockLength, version);
                return firstProblem(
                    fits(command.sbeDecodedLength(), length),
                    notNegative("sessionId", command.sessionId()),
                    command.sequence() < 1 ? "sequence " + command.sequence() + " below 1" : null);

            case SessionCloseDecoder.TEMPLATE_ID:
                if (blockLength < SessionCloseDecoder.BLOCK_LENGTH)
                {
                    return "block too short";
                }
                sessionClose.wrap(view, at, blockLength, version);
                return firstProblem(
                    fits(sessionClose.sbeDecodedLength(), length),
                    notNegative("sessionId", sessionClose.sessionId()));

            default:
                return "unknown template id " + templateId;
        }
    }

    private String acceptEntries(final int length)
    {
        String problem = entries(acceptReader.wrap(accept), accept.actingVersion(), accept.firstSlot(), false);
        if (problem == null)
        {
            problem = fits(accept.limit() - MessageHeaderDecoder.ENCODED_LENGTH, length);
        }
        accept.sbeRewind();
        return problem;
    }

    private String successEntries(final int length)
    {
        String problem = entries(successReader.wrap(success), success.actingVersion(), success.firstSlot(), false);
        if (problem == null)
        {
            problem = fits(success.limit() - MessageHeaderDecoder.ENCODED_LENGTH, length);
        }
        success.sbeRewind();
        return problem;
    }

    private String promiseEntries(final int length)
    {
        String problem = entries(promiseReader.wrap(promise), promise.actingVersion(), promise.chunkFromSlot(), true);
        if (problem == null)
        {
            problem = fits(promise.limit() - MessageHeaderDecoder.ENCODED_LENGTH, length);
        }
        promise.sbeRewind();
        return problem;
    }

    /**
     * Check every entry of a Promise, Accept or Success, each as a log would record it (its slot and ballot: an
     * Accept's ballot, chosen for a Success, its own for a Promise). The walk also measures the message, so no
     * separate length pass is needed.
     *
     * @param entryBallots true if each entry names its own ballot (a Promise), which must then be in bounds; an
     *                     Accept's ballot was checked with the message.
     */
    private String entries(
        final EntriesReader entries, final int actingVersion, final long fromSlot, final boolean entryBallots)
    {
        final boolean checked = actingVersion >= CHECKSUM_VERSION;
        long expectedSlot = fromSlot;
        while (entries.hasNext())
        {
            entries.next();
            final long slot = entries.slot();
            if (slot < expectedSlot)
            {
                return "entry slot " + slot + " out of order: expected at least " + expectedSlot;
            }
            expectedSlot = slot + 1;
            final long ballot = entries.ballot();
            final String problem = firstProblem(
                entryBlock(entries.actingBlockLength(), entries.sbeBlockLength(), checked),
                !entryBallots || ballot == Ballot.CHOSEN ? null : bounded("entry ballot", ballot),
                entry(entries.entryTypeRaw(), entries.payloadLength()));
            if (problem != null)
            {
                return problem;
            }
            if (checked)
            {
                final int sent = entries.checksum();
                final int computed = checksum.compute(entries.read(entry));
                if (computed != sent)
                {
                    return entries.messageName() + " entry at slot " + slot + ": checksum " +
                        Integer.toHexString(sent) + " does not match its content (" + Integer.toHexString(computed) +
                        "), damaged in transit";
                }
            }
            else
            {
                entries.skipPayload();
            }
        }
        return null;
    }

    /**
     * A group entry must hold every field of its version: from version 2 that includes the checksum.
     */
    private static String entryBlock(final int actingBlockLength, final int blockLength, final boolean checked)
    {
        final int needed = checked ? blockLength : blockLength - CHECKSUM_LENGTH;
        return actingBlockLength < needed ? "entry block of " + actingBlockLength + " bytes, needs " + needed : null;
    }

    private String entry(final short type, final int payloadLength)
    {
        if (type < 0 || type > 4) // EntryType NOOP .. REJECTED
        {
            return "unknown entry type " + type;
        }
        if (payloadLength < 0 || payloadLength > maxPayloadLength)
        {
            return "entry payload " + payloadLength + " bytes above the maximum " + maxPayloadLength;
        }
        return null;
    }

    private String peer(final int nodeId, final int senderClusterId)
    {
        senderNodeId = nodeId;
        if (senderClusterId != clusterId)
        {
            return "from node " + nodeId + " of cluster " + senderClusterId + ", this node is in cluster " +
                clusterId + ": check the member lists";
        }
        if (!members.isPeer(nodeId))
        {
            return "unknown node id " + nodeId;
        }
        return null;
    }

    private static String ownBallot(final long ballot, final int nodeId)
    {
        if (ballot <= 0)
        {
            return "ballot " + ballot + " not positive";
        }
        if (Ballot.nodeId(ballot) != nodeId)
        {
            return "ballot " + Ballot.toString(ballot) + " does not belong to sender " + nodeId;
        }
        return bounded("ballot", ballot);
    }

    /**
     * Ballots are bounded so the next round never wraps: one forged ballot near Long.MAX_VALUE once made every node
     * promise it and no leader could be elected again.
     */
    private static String bounded(final String field, final long ballot)
    {
        if (ballot < 0)
        {
            return field + " " + ballot + " is negative";
        }
        if (ballot > Ballot.MAX)
        {
            return field + " " + ballot + " (round " + Ballot.round(ballot) + ") beyond the highest round " +
                Ballot.MAX_ROUND;
        }
        return null;
    }

    private static String notNegative(final String field, final long value)
    {
        return value < 0 ? field + " " + value + " is negative" : null;
    }

    private static String fits(final int bodyLength, final int length)
    {
        final int needed = MessageHeaderDecoder.ENCODED_LENGTH + bodyLength;
        return needed > length ? "truncated: needs " + needed + " bytes, has " + length : null;
    }

    // Fixed arities rather than varargs: no array per message.
    private static String firstProblem(final String a, final String b)
    {
        return a != null ? a : b;
    }

    private static String firstProblem(final String a, final String b, final String c)
    {
        return a != null ? a : firstProblem(b, c);
    }

    private static String firstProblem(final String a, final String b, final String c, final String d)
    {
        return a != null ? a : firstProblem(b, c, d);
    }

    private static String firstProblem(
        final String a, final String b, final String c, final String d, final String e)
    {
        return a != null ? a : firstProblem(b, c, d, e);
    }

    private static String firstProblem(
        final String a, final String b, final String c, final String d, final String e, final String f)
    {
        return a != null ? a : firstProblem(b, c, d, e, f);
    }

    private int drop(final String cause, final Throwable throwable)
    {
        counters.malformedMessages++;
        errorHandler.onError(new MalformedMessageException(cause, throwable));
        return DROPPED;
    }
}
