package io.synod.core;

import org.junit.jupiter.api.Test;

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
        final CoreCluster cluster = new CoreCluster(3, (id) -> new PoisonCommandTest.PoisonableStateMachine(id, (n) -> false));
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
        final CoreCluster cluster = new CoreCluster(1, (id) -> new PoisonCommandTest.PoisonableStateMachine(id, (n) -> false));
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
