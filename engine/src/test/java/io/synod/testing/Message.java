package io.synod.testing;

import io.synod.codecs.MessageHeaderDecoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A message in an {@link InteractionNetwork}: sent and not yet delivered or dropped, with its one-line description.
 */
public final class Message
{
    final int from;
    final int to;
    final byte[] bytes;
    final String text;

    Message(final int from, final int to, final byte[] bytes, final String text)
    {
        this.from = from;
        this.to = to;
        this.bytes = bytes;
        this.text = text;
    }

    int templateId()
    {
        return new MessageHeaderDecoder().wrap(new UnsafeBuffer(bytes), 0).templateId();
    }

    boolean isHeartbeat()
    {
        return templateId() == io.synod.codecs.HeartbeatDecoder.TEMPLATE_ID;
    }

    public String toString()
    {
        return InteractionCluster.name(from) + "->" + InteractionCluster.name(to) + " " + text;
    }
}
