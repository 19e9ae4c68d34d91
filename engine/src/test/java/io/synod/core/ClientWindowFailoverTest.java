package io.synod.core;

import io.synod.StateMachine;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseDecoder;
import io.synod.codecs.SessionOpenEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8 case 6: a client pipelines a window of commands, the leader applies them and dies before its responses
 * leave; the client resends the whole window to the new leader. Each retry must come back with the command's own
 * code and payload (an order acknowledgement, a fill), not DUPLICATE without payload.
 */
class ClientWindowFailoverTest
{
    private static final int WINDOW = 4;

    @Test
    void retriesOfAPipelinedWindowAfterFailoverGetTheirOriginalResponses()
    {
        final CoreCluster cluster = new CoreCluster(3, ClientWindowFailoverTest::echo);
        final int oldLeader = cluster.awaitLeader();
        final long session = openSession(cluster, oldLeader, WINDOW);
        for (int sequence = 1; sequence <= WINDOW; sequence++)
        {
            cluster.toNode(oldLeader, cluster.wire().command(session, sequence, ("order-" + sequence).getBytes()));
        }
        cluster.cycles(20);
        assertTrue(cluster.nodes[oldLeader].appliedIndex() >= cluster.logs[oldLeader].nextSlot(), cluster.describe());
        cluster.responses.clear(); // lost with the leader: the client never saw them
        cluster.stopped[oldLeader] = true;

        final int newLeader = cluster.awaitLeader();
        cluster.cycles(20);
        for (int sequence = 1; sequence <= WINDOW; sequence++)
        {
            cluster.toNode(newLeader, cluster.wire().command(session, sequence, ("order-" + sequence).getBytes()));
        }
        cluster.cycles(20);

        final List<String> retries = new ArrayList<>();
        for (final String response : cluster.responses)
        {
            retries.add(response.replaceAll(" slot=\\d+", ""));
        }
        final List<String> expected = new ArrayList<>();
        for (int sequence = 1; sequence <= WINDOW; sequence++)
        {
            expected.add("OK session=" + session + " sequence=" + sequence + " payload=order-" + sequence);
        }
        assertEquals(expected, retries, "every retry of the window answered with its own response");
    }

    @Test
    void retryOlderThanTheSessionWindowIsDuplicate()
    {
        final CoreCluster cluster = new CoreCluster(1, ClientWindowFailoverTest::echo);
        final int leader = cluster.awaitLeader();
        final long session = openSession(cluster, leader, 2);
        for (int sequence = 1; sequence <= 3; sequence++)
        {
            cluster.toNode(leader, cluster.wire().command(session, sequence, ("order-" + sequence).getBytes()));
        }
        cluster.cycles(10);
        cluster.responses.clear();

        for (int sequence = 1; sequence <= 3; sequence++)
        {
            cluster.toNode(leader, cluster.wire().command(session, sequence, ("order-" + sequence).getBytes()));
        }
        cluster.cycles(10);

        assertEquals(3, cluster.responses.size(), cluster.responses.toString());
        assertTrue(cluster.responses.get(0).startsWith("DUPLICATE session=" + session + " sequence=1"),
            "beyond the window of 2: " + cluster.responses);
        assertTrue(cluster.responses.get(1).endsWith("payload=order-2"), cluster.responses.toString());
        assertTrue(cluster.responses.get(2).endsWith("payload=order-3"), cluster.responses.toString());
    }

    @Test
    void leaderGrantsAtMostItsMaxSessionWindowAndSaysSo()
    {
        final TestNode leader = new TestNode(0, TestNode.config(0, 0).maxSessionWindow(8));
        leader.tick(0);
        leader.tick(leader.node.config().electionTimeoutNs());
        leader.node.doWork();

        leader.wire.sessionOpen(7, 1000).fromClient(leader.node, 9);
        leader.node.doWork();

        final ResponseDecoder opened = lastResponse(leader);
        assertEquals(ResponseCode.SESSION_OPENED, opened.code());
        assertEquals(Integer.BYTES, opened.payloadLength());
        final UnsafeBuffer granted = new UnsafeBuffer(new byte[Integer.BYTES]);
        opened.getPayload(granted, 0, Integer.BYTES);
        assertEquals(8, granted.getInt(0, ByteOrder.LITTLE_ENDIAN), "capped at maxSessionWindow");
    }

    @Test
    void versionOneSessionOpenWithoutAWindowKeepsTheLastResponseOnly()
    {
        final TestNode leader = new TestNode(0, 0);
        leader.tick(0);
        leader.tick(leader.node.config().electionTimeoutNs());
        leader.node.doWork();
        final UnsafeBuffer v1 = new UnsafeBuffer(new byte[64]);
        new MessageHeaderEncoder().wrap(v1, 0).blockLength(SessionOpenEncoder.windowEncodingOffset())
            .templateId(SessionOpenEncoder.TEMPLATE_ID).schemaId(SessionOpenEncoder.SCHEMA_ID).version(1);
        v1.putLong(MessageHeaderEncoder.ENCODED_LENGTH, 7); // correlationId, the whole version 1 block
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + SessionOpenEncoder.windowEncodingOffset();
        leader.node.onClientMessage(9, v1, 0, length);
        leader.node.doWork();
        final ResponseDecoder opened = lastResponse(leader);
        assertEquals(ResponseCode.SESSION_OPENED, opened.code(), "a version 1 open is complete without the window");
        final long session = opened.sessionId();
        for (int sequence = 1; sequence <= 2; sequence++)
        {
            leader.wire.command(session, sequence, ("order-" + sequence).getBytes()).fromClient(leader.node, 9);
            leader.node.doWork();
        }
        leader.outbox.clear();

        leader.wire.command(session, 1, "order-1".getBytes()).fromClient(leader.node, 9);
        leader.node.doWork();
        assertEquals(ResponseCode.DUPLICATE, lastResponse(leader).code(), "window 1: only the last response kept");
        leader.wire.command(session, 2, "order-2".getBytes()).fromClient(leader.node, 9);
        leader.node.doWork();
        assertEquals(ResponseCode.OK, lastResponse(leader).code());
    }

    private static StateMachine echo(final int nodeId)
    {
        return new PoisonCommandTest.PoisonableStateMachine(nodeId, (n) -> false);
    }

    private static ResponseDecoder lastResponse(final TestNode node)
    {
        final List<Wire.Sent> responses = node.outbox.take(ResponseDecoder.TEMPLATE_ID);
        final Wire.Sent sent = responses.get(responses.size() - 1);
        node.outbox.clear();
        return Wire.decode(sent, header -> new ResponseDecoder().wrap(
            sent.buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version()));
    }

    static long openSession(final CoreCluster cluster, final int leader, final int window)
    {
        cluster.toNode(leader, cluster.wire().sessionOpen(5, window));
        cluster.cycles(20);
        for (final String response : cluster.responses)
        {
            if (response.startsWith("SESSION_OPENED"))
            {
                cluster.responses.clear();
                return Long.parseLong(response.split(" ")[1].substring("session=".length()));
            }
        }
        throw new AssertionError("no session opened: " + cluster.responses + " " + cluster.describe());
    }
}
