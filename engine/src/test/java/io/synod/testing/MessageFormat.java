package io.synod.testing;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.AcceptedDecoder;
import io.synod.codecs.BooleanType;
import io.synod.codecs.CommandDecoder;
import io.synod.codecs.EntryType;
import io.synod.codecs.HeartbeatDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.NewLeaderDecoder;
import io.synod.codecs.PrepareDecoder;
import io.synod.codecs.PromiseDecoder;
import io.synod.codecs.RedirectDecoder;
import io.synod.codecs.RejectedDecoder;
import io.synod.codecs.RejoinQueryDecoder;
import io.synod.codecs.RejoinReplyDecoder;
import io.synod.codecs.ResponseDecoder;
import io.synod.codecs.SessionCloseDecoder;
import io.synod.codecs.SessionOpenDecoder;
import io.synod.codecs.SuccessDecoder;
import io.synod.core.Ballot;
import io.synod.log.LogEntry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * One line per message, stable and readable: the type, then the fields that matter for the protocol, in the words of
 * docs/protocol.md. Ballots print as {@code round.node} ({@code chosen} for a slot known chosen), entries as
 * {@code slot:TYPE}, with session, sequence and payload for client entries. Fields that carry no meaning for a reader
 * (cluster id, checksums, timestamps, a RejoinQuery's nonce) are left out so that a scenario's expected output does
 * not change with them.
 */
final class MessageFormat
{
    private static final int PAYLOAD_SHOWN = 24;

    private MessageFormat()
    {
    }

    /**
     * @param bytes   one SBE message with its header.
     * @param members the cluster's member ids in ascending order (heartbeat bits are member indexes).
     * @return the message on one line, without sender and receiver.
     */
    static String describe(final byte[] bytes, final int[] members)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        final int at = MessageHeaderDecoder.ENCODED_LENGTH;
        final int block = header.blockLength();
        final int version = header.version();
        final StringBuilder s = new StringBuilder();
        switch (header.templateId())
        {
            case HeartbeatDecoder.TEMPLATE_ID:
                final HeartbeatDecoder h = new HeartbeatDecoder().wrap(buffer, at, block, version);
                s.append("Heartbeat ").append(Ballot.toString(h.ballot()))
                    .append(" leader=").append(h.leaderNodeId() < 0 ? "none" : String.valueOf(h.leaderNodeId()))
                    .append(h.isLeader() == BooleanType.TRUE ? " leading" : "")
                    .append(" commit=").append(h.commitIndex()).append(" next=").append(h.nextSlot())
                    .append(h.voting() == BooleanType.FALSE ? " learner" : "")
                    .append(" hears=").append(members(h.heardMembers(), members))
                    .append(h.hearsMajority() == BooleanType.TRUE ? "" : " (no majority)");
                break;
            case PrepareDecoder.TEMPLATE_ID:
                final PrepareDecoder p = new PrepareDecoder().wrap(buffer, at, block, version);
                s.append("Prepare ").append(Ballot.toString(p.ballot())).append(" from=").append(p.fromSlot());
                break;
            case PromiseDecoder.TEMPLATE_ID:
                final PromiseDecoder pr = new PromiseDecoder().wrap(buffer, at, block, version);
                s.append("Promise ").append(Ballot.toString(pr.ballot())).append(" chunk=").append(pr.chunkFromSlot())
                    .append(" commit=").append(pr.commitIndex())
                    .append(pr.noMoreAccepted() == BooleanType.TRUE ? " last" : " more").append(" [");
                String separator = "";
                for (final PromiseDecoder.EntriesDecoder e : pr.entries())
                {
                    final byte[] payload = new byte[e.payloadLength()];
                    e.getPayload(payload, 0, payload.length);
                    s.append(separator).append(e.slot()).append('@').append(Ballot.toString(e.ballot())).append(':');
                    entry(s, e.entryType().value(), e.sessionId(), e.sequence(), new UnsafeBuffer(payload));
                    separator = ", ";
                }
                s.append(']');
                break;
            case AcceptDecoder.TEMPLATE_ID:
                final AcceptDecoder a = new AcceptDecoder().wrap(buffer, at, block, version);
                s.append("Accept ").append(Ballot.toString(a.ballot())).append(" first=").append(a.firstSlot())
                    .append(" commit=").append(a.commitIndex()).append(" [");
                long slot = a.firstSlot();
                for (final AcceptDecoder.EntriesDecoder e : a.entries())
                {
                    final byte[] payload = new byte[e.payloadLength()];
                    e.getPayload(payload, 0, payload.length);
                    s.append(slot == a.firstSlot() ? "" : ", ").append(slot++).append(':');
                    entry(s, e.entryType().value(), e.sessionId(), e.sequence(), new UnsafeBuffer(payload));
                }
                s.append(']');
                break;
            case SuccessDecoder.TEMPLATE_ID:
                final SuccessDecoder su = new SuccessDecoder().wrap(buffer, at, block, version);
                s.append("Success ").append(Ballot.toString(su.ballot())).append(" first=").append(su.firstSlot())
                    .append(" commit=").append(su.commitIndex()).append(" [");
                long chosen = su.firstSlot();
                for (final SuccessDecoder.EntriesDecoder e : su.entries())
                {
                    final byte[] payload = new byte[e.payloadLength()];
                    e.getPayload(payload, 0, payload.length);
                    s.append(chosen == su.firstSlot() ? "" : ", ").append(chosen++).append(':');
                    entry(s, e.entryType().value(), e.sessionId(), e.sequence(), new UnsafeBuffer(payload));
                }
                s.append(']');
                break;
            case AcceptedDecoder.TEMPLATE_ID:
                final AcceptedDecoder ad = new AcceptedDecoder().wrap(buffer, at, block, version);
                s.append("Accepted ").append(Ballot.toString(ad.ballot())).append(" last=").append(ad.lastSlot())
                    .append(" commit=").append(ad.commitIndex())
                    .append(ad.behind() == BooleanType.TRUE ? " behind" : "");
                break;
            case RejectedDecoder.TEMPLATE_ID:
                final RejectedDecoder r = new RejectedDecoder().wrap(buffer, at, block, version);
                s.append("Rejected ").append(Ballot.toString(r.ballot()))
                    .append(" promised=").append(Ballot.toString(r.promisedBallot()));
                break;
            case RejoinQueryDecoder.TEMPLATE_ID:
                new RejoinQueryDecoder().wrap(buffer, at, block, version);
                s.append("RejoinQuery");
                break;
            case RejoinReplyDecoder.TEMPLATE_ID:
                final RejoinReplyDecoder rr = new RejoinReplyDecoder().wrap(buffer, at, block, version);
                s.append("RejoinReply promised=").append(Ballot.toString(rr.promisedBallot()))
                    .append(" next=").append(rr.nextSlot()).append(" commit=").append(rr.commitIndex())
                    .append(rr.voting() == BooleanType.TRUE ? " voting" : " learner");
                break;
            default:
                describeClient(s, header.templateId(), buffer, block, version);
        }
        return s.toString();
    }

    private static void describeClient(
        final StringBuilder s, final int templateId, final UnsafeBuffer buffer, final int block, final int version)
    {
        final int at = MessageHeaderDecoder.ENCODED_LENGTH;
        switch (templateId)
        {
            case SessionOpenDecoder.TEMPLATE_ID:
                final SessionOpenDecoder o = new SessionOpenDecoder().wrap(buffer, at, block, version);
                s.append("SessionOpen correlation=").append(o.correlationId()).append(" window=").append(o.window());
                break;
            case CommandDecoder.TEMPLATE_ID:
                final CommandDecoder c = new CommandDecoder().wrap(buffer, at, block, version);
                final byte[] command = new byte[c.payloadLength()];
                c.getPayload(command, 0, command.length);
                s.append("Command s=").append(c.sessionId()).append(" q=").append(c.sequence()).append(' ');
                payload(s, new UnsafeBuffer(command));
                break;
            case ResponseDecoder.TEMPLATE_ID:
                final ResponseDecoder re = new ResponseDecoder().wrap(buffer, at, block, version);
                final byte[] response = new byte[re.payloadLength()];
                re.getPayload(response, 0, response.length);
                s.append("Response ").append(re.code()).append(" s=").append(re.sessionId())
                    .append(" q=").append(re.sequence()).append(" slot=").append(re.slot()).append(' ');
                payload(s, new UnsafeBuffer(response));
                break;
            case RedirectDecoder.TEMPLATE_ID:
                final RedirectDecoder rd = new RedirectDecoder().wrap(buffer, at, block, version);
                s.append("Redirect s=").append(rd.sessionId()).append(" q=").append(rd.sequence())
                    .append(" leader=").append(rd.leaderNodeId());
                break;
            case NewLeaderDecoder.TEMPLATE_ID:
                final NewLeaderDecoder nl = new NewLeaderDecoder().wrap(buffer, at, block, version);
                s.append("NewLeader ").append(nl.leaderNodeId()).append(' ').append(Ballot.toString(nl.ballot()));
                break;
            case SessionCloseDecoder.TEMPLATE_ID:
                final SessionCloseDecoder sc = new SessionCloseDecoder().wrap(buffer, at, block, version);
                s.append("SessionClose s=").append(sc.sessionId()).append(" q=").append(sc.sequence());
                break;
            default:
                s.append("template ").append(templateId);
        }
    }

    /**
     * A log entry as {@code log <node>} shows it: ballot, then the entry as in a message.
     */
    static String describe(final LogEntry entry)
    {
        final StringBuilder s = new StringBuilder().append(entry.slot()).append(' ')
            .append(Ballot.toString(entry.ballot())).append(' ');
        entry(s, entry.type(), entry.sessionId(), entry.sequence(), entry.payload(), entry.payloadLength());
        return s.toString();
    }

    private static void entry(
        final StringBuilder s, final short type, final long session, final long sequence, final DirectBuffer payload)
    {
        entry(s, (byte)type, session, sequence, payload, payload.capacity());
    }

    private static void entry(
        final StringBuilder s,
        final byte type,
        final long session,
        final long sequence,
        final DirectBuffer payload,
        final int length)
    {
        final EntryType entryType = EntryType.get(type);
        switch (entryType)
        {
            case NOOP:
                s.append("NOOP");
                break;
            case SESSION_OPEN:
                s.append("OPEN correlation=").append(sequence);
                if (length >= Integer.BYTES)
                {
                    s.append(" window=").append(payload.getInt(0, ByteOrder.LITTLE_ENDIAN));
                }
                break;
            case SESSION_CLOSE:
                s.append("CLOSE s=").append(session).append(" q=").append(sequence);
                break;
            default:
                s.append(entryType == EntryType.COMMAND ? "CMD" : entryType.name())
                    .append(" s=").append(session).append(" q=").append(sequence).append(' ');
                payload(s, new UnsafeBuffer(payload, 0, length));
        }
    }

    /**
     * Printable ASCII in quotes (cut after a few characters), anything else as its length.
     */
    static void payload(final StringBuilder s, final DirectBuffer payload)
    {
        final int length = payload.capacity();
        boolean printable = true;
        for (int i = 0; i < length && printable; i++)
        {
            final byte b = payload.getByte(i);
            printable = b >= 0x20 && b < 0x7f && b != '"';
        }
        if (!printable)
        {
            s.append('<').append(length).append(" bytes>");
            return;
        }
        s.append('"');
        for (int i = 0; i < Math.min(length, PAYLOAD_SHOWN); i++)
        {
            s.append((char)payload.getByte(i));
        }
        s.append(length > PAYLOAD_SHOWN ? "...\"" : "\"");
    }

    private static String members(final long bits, final int[] members)
    {
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < members.length; i++)
        {
            if ((bits & (1L << i)) != 0)
            {
                s.append(s.length() == 0 ? "" : ",").append(members[i]);
            }
        }
        return s.length() == 0 ? "none" : s.toString();
    }
}
