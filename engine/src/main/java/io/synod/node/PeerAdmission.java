package io.synod.node;

import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.synod.codecs.MemberListDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.concurrent.TimeUnit;

/**
 * The runtime's check of every peer message before the core sees it: its trailer ({@link PeerTrailer}) must carry a
 * MAC made with the cluster key (when peer authentication is on) and this node's member list hash. A message that
 * fails is dropped, counted and reported to the error handler, at most once a second per reason, naming the sender's
 * address; so a peer with another key or another member list never counts towards a quorum here. {@code MemberList}
 * messages stop here too: they only tell this node what a peer's list is, for the report.
 */
final class PeerAdmission
{
    private static final long REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_LISTS_REMEMBERED = 16;
    private static final int FROM_NODE_ID_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH; // first field of every message

    private final PeerTrailer trailer;
    private final String memberList;
    private final RuntimeCounts counts;
    private final ErrorHandler errorHandler;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MemberListDecoder memberListDecoder = new MemberListDecoder();
    private final Long2ObjectHashMap<String> peerLists = new Long2ObjectHashMap<>();
    private long nowNs;
    private long nextAuthenticationReportNs;
    private long nextMemberListReportNs;
    private long authenticationRefusedSinceReport;
    private long memberListRefusedSinceReport;

    /**
     * @param trailer      the receiving direction's trailer checker.
     * @param memberList   this node's canonical member list.
     * @param counts       where refusals are counted.
     * @param errorHandler where refusals are reported.
     */
    PeerAdmission(
        final PeerTrailer trailer, final String memberList, final RuntimeCounts counts, final ErrorHandler errorHandler)
    {
        this.trailer = trailer;
        this.memberList = memberList;
        this.counts = counts;
        this.errorHandler = errorHandler;
    }

    void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    /**
     * @param length of the message and its trailer.
     * @return the length of the message for the core, or -1 if it is not for the core (refused, or a MemberList).
     */
    int admit(
        final DirectBuffer buffer, final int offset, final int length, final Header fragmentHeader,
        final Subscription subscription)
    {
        if (length < PeerTrailer.LENGTH + MessageHeaderDecoder.ENCODED_LENGTH + Integer.BYTES)
        {
            refuseUnauthenticated("shorter than a message and its trailer (" + length + " bytes)", fragmentHeader,
                subscription);
            return -1;
        }
        if (!trailer.verify(buffer, offset, length))
        {
            refuseUnauthenticated("its MAC does not match this node's cluster key", fragmentHeader, subscription);
            return -1;
        }
        final int messageLength = length - PeerTrailer.LENGTH;
        final long theirHash = PeerTrailer.memberListHash(buffer, offset, length);
        header.wrap(buffer, offset);
        final boolean isMemberList = header.templateId() == MemberListDecoder.TEMPLATE_ID &&
            header.schemaId() == MemberListDecoder.SCHEMA_ID;
        if (theirHash != trailer.memberListHash())
        {
            if (isMemberList)
            {
                rememberList(buffer, offset, messageLength, theirHash);
            }
            refuseMemberList(buffer, offset, theirHash, fragmentHeader, subscription);
            return -1;
        }
        return isMemberList ? -1 : messageLength;
    }

    private void rememberList(final DirectBuffer buffer, final int offset, final int messageLength, final long hash)
    {
        if (peerLists.containsKey(hash) || peerLists.size() >= MAX_LISTS_REMEMBERED)
        {
            return;
        }
        try
        {
            memberListDecoder.wrapAndApplyHeader(buffer, offset, header);
            final int listLength = memberListDecoder.membersLength();
            if (memberListDecoder.limit() + Integer.BYTES + listLength <= offset + messageLength)
            {
                peerLists.put(hash, memberListDecoder.members());
            }
        }
        catch (final RuntimeException ex)
        {
            // A malformed list only makes the report say less; the message is refused either way.
        }
    }

    private void refuseUnauthenticated(
        final String reason, final Header fragmentHeader, final Subscription subscription)
    {
        counts.peerMessagesNotAuthenticated++;
        authenticationRefusedSinceReport++;
        if (nowNs - nextAuthenticationReportNs >= 0)
        {
            nextAuthenticationReportNs = nowNs + REPORT_INTERVAL_NS;
            errorHandler.onError(new PeerRefusedException("peer message not authenticated from " +
                source(fragmentHeader, subscription) + ": " + reason + "; dropped (" +
                authenticationRefusedSinceReport + " since the last report). Every member needs the same cluster " +
                "key and the same peer authentication setting (synod.cluster.key or synod.cluster.key.file, " +
                "synod.peer.authentication)"));
            authenticationRefusedSinceReport = 0;
        }
    }

    private void refuseMemberList(
        final DirectBuffer buffer, final int offset, final long theirHash, final Header fragmentHeader,
        final Subscription subscription)
    {
        counts.peerMemberListMismatches++;
        memberListRefusedSinceReport++;
        if (nowNs - nextMemberListReportNs >= 0)
        {
            nextMemberListReportNs = nowNs + REPORT_INTERVAL_NS;
            final String theirs = peerLists.get(theirHash);
            errorHandler.onError(new PeerRefusedException("peer message refused from " +
                source(fragmentHeader, subscription) + " (says it is node " +
                buffer.getInt(offset + FROM_NODE_ID_OFFSET, java.nio.ByteOrder.LITTLE_ENDIAN) +
                "): its member list differs from this node's, so quorums need not intersect; its messages never " +
                "count here (" + memberListRefusedSinceReport + " refused since the last report). Its member list: " +
                (theirs != null ? theirs : "not received yet (hash " + Long.toHexString(theirHash) + ")") +
                "; this node's: " + memberList + ". Configure every member with the same list (synod.members)"));
            memberListRefusedSinceReport = 0;
        }
    }

    private static String source(final Header fragmentHeader, final Subscription subscription)
    {
        final Image image = subscription.imageBySessionId(fragmentHeader.sessionId());
        return (image != null ? image.sourceIdentity() : "unknown address") + " (stream " +
            fragmentHeader.streamId() + ", session " + fragmentHeader.sessionId() + ")";
    }
}
