package io.synod.core;

import io.synod.Role;
import io.synod.StateMachine;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.ResponseDecoder;
import io.synod.log.InMemoryPaxosLog;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Nodes of the pure core wired together in one test, driven the way the runtime drives them: per duty cycle tick,
 * deliver what arrived, doWork; what a cycle sent leaves only if the cycle completed (the runtime flushes after
 * doWork, so a cycle that throws sends nothing), and an exception from the core goes to the node's error list, as
 * the agent runner reports it, and the next cycle runs.
 */
final class CoreCluster
{
    static final long T = TestNode.T;

    final int size;
    final PaxosNode[] nodes;
    final InMemoryPaxosLog[] logs;
    final List<List<Throwable>> errors = new ArrayList<>();
    /** Responses to the test's client, decoded copies: code, session, sequence, slot, payload text. */
    final List<String> responses = new ArrayList<>();
    final ResponseDecoder responseDecoder = new ResponseDecoder();
    final boolean[] stopped;
    /** Messages each node sent, over all cycles. */
    final long[] sentCount;
    private final List<List<Wire.Sent>> sentThisCycle = new ArrayList<>();
    private final List<List<Wire.Sent>> inboxes = new ArrayList<>();
    private final Wire wire = new Wire();
    long now = 1_000_000_000;
    int maxLeadersAtOnce;

    CoreCluster(final int size, final IntFunction<StateMachine> stateMachines)
    {
        this.size = size;
        nodes = new PaxosNode[size];
        logs = new InMemoryPaxosLog[size];
        stopped = new boolean[size];
        sentCount = new long[size];
        final int[] members = new int[size];
        for (int i = 0; i < size; i++)
        {
            members[i] = i;
        }
        for (int i = 0; i < size; i++)
        {
            sentThisCycle.add(new ArrayList<>());
            inboxes.add(new ArrayList<>());
            errors.add(new ArrayList<>());
        }
        for (int i = 0; i < size; i++)
        {
            final List<Wire.Sent> sent = sentThisCycle.get(i);
            final Outbox outbox = new Outbox()
            {
                public void sendToPeer(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
                {
                    sent.add(new Wire.Sent(false, nodeId, buffer, offset, length));
                }

                public void sendToClient(
                    final long clientId, final DirectBuffer buffer, final int offset, final int length)
                {
                    sent.add(new Wire.Sent(true, clientId, buffer, offset, length));
                }
            };
            logs[i] = new InMemoryPaxosLog(1024);
            nodes[i] = new PaxosNode(
                TestNode.config(i, members), logs[i], stateMachines.apply(i), outbox, errors.get(i)::add);
        }
    }

    /**
     * One duty cycle of every node, a quarter heartbeat interval later.
     */
    void cycle()
    {
        now += T / 4;
        for (int i = 0; i < size; i++)
        {
            if (stopped[i])
            {
                inboxes.get(i).clear();
                continue;
            }
            final PaxosNode node = nodes[i];
            final List<Wire.Sent> sent = sentThisCycle.get(i);
            boolean completed = false;
            try
            {
                node.onTick(now);
                for (final Wire.Sent message : inboxes.get(i))
                {
                    if (message.toClient)
                    {
                        node.onClientMessage(message.to, message.buffer, 0, message.buffer.capacity());
                    }
                    else
                    {
                        node.onPeerMessage(message.buffer, 0, message.buffer.capacity());
                    }
                }
                inboxes.get(i).clear();
                node.doWork();
                completed = true;
            }
            catch (final RuntimeException ex)
            {
                errors.get(i).add(ex); // as the agent runner does; what the cycle sent stays behind
                inboxes.get(i).clear();
            }
            if (completed)
            {
                sentCount[i] += sent.size();
                for (final Wire.Sent message : sent)
                {
                    if (message.toClient)
                    {
                        responses.add(describeResponse(message));
                    }
                    else
                    {
                        inboxes.get((int)message.to).add(message);
                    }
                }
                sent.clear();
            }
        }
        int leaders = 0;
        for (int i = 0; i < size; i++)
        {
            if (!stopped[i] && nodes[i].role() == Role.LEADER)
            {
                leaders++;
            }
        }
        maxLeadersAtOnce = Math.max(maxLeadersAtOnce, leaders);
    }

    void cycles(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            cycle();
        }
    }

    int leader()
    {
        for (int i = 0; i < size; i++)
        {
            if (!stopped[i] && nodes[i].role() == Role.LEADER)
            {
                return i;
            }
        }
        return -1;
    }

    int awaitLeader()
    {
        for (int i = 0; i < 1000 && leader() < 0; i++)
        {
            cycle();
        }
        if (leader() < 0)
        {
            throw new AssertionError("no leader after 1000 cycles: " + describe());
        }
        return leader();
    }

    /**
     * A client request delivered to a node with the next cycle; the client's id is 1000.
     */
    void toNode(final int nodeId, final Wire message)
    {
        final Wire.Sent sent = new Wire.Sent(true, 1000, message.buffer(), 0, message.length);
        inboxes.get(nodeId).add(sent);
    }

    Wire wire()
    {
        return wire;
    }

    String describeResponse(final Wire.Sent message)
    {
        if (message.templateId != ResponseDecoder.TEMPLATE_ID)
        {
            return "template " + message.templateId;
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(message.buffer, 0);
        responseDecoder.wrap(
            message.buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        final String head = responseDecoder.code() + " session=" + responseDecoder.sessionId() + " sequence=" +
            responseDecoder.sequence() + " slot=" + responseDecoder.slot();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[responseDecoder.payloadLength()]);
        responseDecoder.getPayload(payload, 0, payload.capacity());
        return head + " payload=" + TestNode.text(payload, 0, payload.capacity());
    }

    String describe()
    {
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < size; i++)
        {
            s.append(stopped[i] ? "down" : nodes[i].toString()).append(i + 1 < size ? ", " : "");
        }
        return s.toString();
    }
}
