package io.synod.client;

import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.NewLeaderDecoder;
import io.synod.codecs.RedirectDecoder;
import io.synod.codecs.ResponseDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes what a member sends a client (Response, Redirect, NewLeader) and hands it on with the member's index.
 * Malformed messages are reported to the listener and dropped. No Aeron: the transport passes it the bytes.
 */
final class EgressAdapter
{
    /**
     * Receives decoded egress messages.
     */
    public interface Listener
    {
        /**
         * @param memberIndex index of the member that sent it.
         * @param response    decoder positioned on the message; payload in {@code payload}.
         * @param payload     view of the response payload, valid during the call.
         */
        void onResponse(int memberIndex, ResponseDecoder response, DirectBuffer payload);

        /**
         * @param memberIndex  index of the member that sent it.
         * @param leaderNodeId the leader that member follows, -1 if none.
         */
        void onRedirect(int memberIndex, int leaderNodeId);

        /**
         * A NewLeader event: sent by a node that took over, and by any node in answer to a Connect.
         *
         * @param memberIndex  index of the member that sent it.
         * @param leaderNodeId the leader that member is or follows, -1 if none.
         * @param ballot       that leader's ballot as the member knows it: orders events from several members.
         */
        void onNewLeader(int memberIndex, int leaderNodeId, long ballot);

        /**
         * @param memberIndex index of the member that sent it.
         * @param reason      why it was dropped.
         */
        void onMalformed(int memberIndex, String reason);
    }

    private final Listener listener;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ResponseDecoder response = new ResponseDecoder();
    private final RedirectDecoder redirect = new RedirectDecoder();
    private final NewLeaderDecoder newLeader = new NewLeaderDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);

    /**
     * @param listener receives decoded messages.
     */
    EgressAdapter(final Listener listener)
    {
        this.listener = listener;
    }

    /**
     * @param memberIndex index of the member that sent it.
     * @param buffer      holding the message, SBE header first.
     * @param offset      of the message.
     * @param length      of the message.
     */
    void onMessage(final int memberIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            listener.onMalformed(memberIndex, "egress message of " + length + " bytes");
            return;
        }
        try
        {
            view.wrap(buffer, offset, length);
            header.wrap(view, 0);
            if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
            {
                listener.onMalformed(memberIndex, "egress message of schema " + header.schemaId());
                return;
            }
            switch (header.templateId())
            {
                case ResponseDecoder.TEMPLATE_ID:
                    response.wrapAndApplyHeader(view, 0, header);
                    response.wrapPayload(payload);
                    response.wrapAndApplyHeader(view, 0, header); // rewind for the listener's field reads
                    listener.onResponse(memberIndex, response, payload);
                    break;

                case RedirectDecoder.TEMPLATE_ID:
                    redirect.wrapAndApplyHeader(view, 0, header);
                    listener.onRedirect(memberIndex, redirect.leaderNodeId());
                    break;

                case NewLeaderDecoder.TEMPLATE_ID:
                    newLeader.wrapAndApplyHeader(view, 0, header);
                    listener.onNewLeader(memberIndex, newLeader.leaderNodeId(), newLeader.ballot());
                    break;

                default:
                    listener.onMalformed(memberIndex, "egress template " + header.templateId());
                    break;
            }
        }
        catch (final IndexOutOfBoundsException ex)
        {
            listener.onMalformed(memberIndex, "egress message truncated at " + length + " bytes");
        }
    }
}
