package io.synod.sim;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.AcceptedDecoder;
import io.synod.codecs.HeartbeatDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.PrepareDecoder;
import io.synod.codecs.PromiseDecoder;
import io.synod.codecs.RejectedDecoder;
import io.synod.codecs.SuccessDecoder;
import io.synod.core.Ballot;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One-line descriptions of protocol messages, for tracing a replayed seed.
 */
final class MessageTrace
{
    private MessageTrace()
    {
    }

    static String describe(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        final int at = MessageHeaderDecoder.ENCODED_LENGTH;
        final int block = header.blockLength();
        final int version = header.version();
        switch (header.templateId())
        {
            case HeartbeatDecoder.TEMPLATE_ID:
                final HeartbeatDecoder h = new HeartbeatDecoder().wrap(buffer, at, block, version);
                return "Heartbeat ballot " + Ballot.toString(h.ballot()) + " leader " + h.isLeader() + " commit " +
                    h.commitIndex() + " next " + h.nextSlot();
            case PrepareDecoder.TEMPLATE_ID:
                final PrepareDecoder p = new PrepareDecoder().wrap(buffer, at, block, version);
                return "Prepare " + Ballot.toString(p.ballot()) + " from " + p.fromSlot();
            case PromiseDecoder.TEMPLATE_ID:
                final PromiseDecoder pr = new PromiseDecoder().wrap(buffer, at, block, version);
                return "Promise " + Ballot.toString(pr.ballot()) + " chunk " + pr.chunkFromSlot() + " commit " +
                    pr.commitIndex() + " last " + pr.noMoreAccepted() + " entries " + pr.entries().count();
            case AcceptDecoder.TEMPLATE_ID:
                final AcceptDecoder a = new AcceptDecoder().wrap(buffer, at, block, version);
                return "Accept " + Ballot.toString(a.ballot()) + " first " + a.firstSlot() + " commit " +
                    a.commitIndex() + " entries " + a.entries().count();
            case AcceptedDecoder.TEMPLATE_ID:
                final AcceptedDecoder ad = new AcceptedDecoder().wrap(buffer, at, block, version);
                return "Accepted " + Ballot.toString(ad.ballot()) + " last " + ad.lastSlot() + " commit " +
                    ad.commitIndex() + " behind " + ad.behind();
            case RejectedDecoder.TEMPLATE_ID:
                final RejectedDecoder r = new RejectedDecoder().wrap(buffer, at, block, version);
                return "Rejected " + Ballot.toString(r.ballot()) + " promised " + Ballot.toString(r.promisedBallot());
            case SuccessDecoder.TEMPLATE_ID:
                final SuccessDecoder su = new SuccessDecoder().wrap(buffer, at, block, version);
                return "Success " + Ballot.toString(su.ballot()) + " first " + su.firstSlot() + " commit " +
                    su.commitIndex() + " entries " + su.entries().count();
            default:
                return "template " + header.templateId();
        }
    }
}
