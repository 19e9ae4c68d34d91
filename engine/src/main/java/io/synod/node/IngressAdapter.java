package io.synod.node;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.synod.codecs.CommandDecoder;
import io.synod.codecs.ConnectDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.core.PaxosNode;
import io.synod.Role;
import io.synod.log.PaxosLog;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Turns reassembled client messages into calls: Connect is the runtime's (it makes the client's egress publication);
 * SessionOpen, Command and SessionClose go to the core, which answers through the outbox. The client id is the Aeron
 * session id of the client's ingress publication, so every message from one client names the same id.
 */
final class IngressAdapter implements FragmentHandler
{
    private static final int MAX_CHANNEL_LENGTH = 4096;

    private final PaxosNode core;
    private final PaxosLog log;
    private final ClientRegistry clients;
    private final LatencyTracker tracker;
    private final RuntimeCounts counts;
    private final ErrorHandler errorHandler;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ConnectDecoder connect = new ConnectDecoder();
    private final CommandDecoder command = new CommandDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private long nowNs;
    private long commandsProposed;
    private LeaderAnnouncer leaderAnnouncer;

    IngressAdapter(
        final PaxosNode core,
        final PaxosLog log,
        final ClientRegistry clients,
        final LatencyTracker tracker,
        final RuntimeCounts counts,
        final ErrorHandler errorHandler)
    {
        this.core = core;
        this.log = log;
        this.clients = clients;
        this.tracker = tracker;
        this.counts = counts;
        this.errorHandler = errorHandler;
    }

    /**
     * @param leaderAnnouncer answers each Connect with the leader this node knows.
     */
    void leaderAnnouncer(final LeaderAnnouncer leaderAnnouncer)
    {
        this.leaderAnnouncer = leaderAnnouncer;
    }

    void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    /**
     * @return commands proposed since the last call: this cycle's batch.
     */
    long takeCommandsProposed()
    {
        final long proposed = commandsProposed;
        commandsProposed = 0;
        return proposed;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader)
    {
        final long clientId = aeronHeader.sessionId();
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH)
        {
            header.wrap(buffer, offset);
            if (header.schemaId() == MessageHeaderDecoder.SCHEMA_ID)
            {
                final int templateId = header.templateId();
                if (templateId == ConnectDecoder.TEMPLATE_ID)
                {
                    onConnect(clientId, buffer, offset, length);
                    return;
                }
                clients.onActivity(clientId, nowNs);
                if (templateId == CommandDecoder.TEMPLATE_ID && core.role() == Role.LEADER)
                {
                    onCommandAsLeader(clientId, buffer, offset, length);
                    return;
                }
            }
        }
        core.onClientMessage(clientId, buffer, offset, length); // the core reports and counts what is malformed
    }

    private void onCommandAsLeader(final long clientId, final DirectBuffer buffer, final int offset, final int length)
    {
        final long nextSlot = log.nextSlot();
        final int blockLength = header.blockLength();
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH + blockLength && blockLength >= CommandDecoder.BLOCK_LENGTH)
        {
            command.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, blockLength, header.version());
            tracker.onCommandReceived(command.sessionId(), command.sequence(), nowNs);
        }
        core.onClientMessage(clientId, buffer, offset, length);
        if (log.nextSlot() == nextSlot + 1)
        {
            tracker.onProposed(nextSlot, nowNs);
            commandsProposed++;
        }
    }

    private void onConnect(final long clientId, final DirectBuffer buffer, final int offset, final int length)
    {
        final String channel;
        final int streamId;
        try
        {
            view.wrap(buffer, offset, length); // bounds-checked: a truncated Connect fails here, not beyond it
            connect.wrapAndApplyHeader(view, 0, header);
            streamId = connect.responseStreamId();
            final int channelLength = connect.responseChannelLength();
            if (channelLength <= 0 || channelLength > MAX_CHANNEL_LENGTH)
            {
                malformed("Connect from client " + clientId + ": response channel length " + channelLength +
                    " outside [1, " + MAX_CHANNEL_LENGTH + "]");
                return;
            }
            channel = connect.responseChannel();
        }
        catch (final IndexOutOfBoundsException ex)
        {
            malformed("Connect from client " + clientId + " truncated at " + length + " bytes");
            return;
        }
        if (streamId == 0)
        {
            malformed("Connect from client " + clientId + ": response stream id 0");
            return;
        }
        if (!clients.onConnect(clientId, channel, streamId, nowNs))
        {
            counts.malformedMessages++;
        }
        else if (null != leaderAnnouncer)
        {
            leaderAnnouncer.onConnect(clientId); // queued until the client's egress publication connects
        }
    }

    private void malformed(final String message)
    {
        counts.malformedMessages++;
        errorHandler.onError(new IllegalArgumentException(message));
    }
}
