package io.synod.node;

import io.synod.client.HmacChallengeResponder;
import io.synod.client.SynodClient;
import io.synod.codecs.ResponseCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authenticator's challenge round over real UDP with 3 nodes and {@link HmacChallengeAuthenticator}: a client that
 * answers with the shared secret's MAC is served (and keeps its session across a failover); a wrong answer is refused;
 * an unanswered challenge times out and frees its pending-connect slot; an answer from another connection (or one
 * computed for another connection's nonce) is refused; a client without a handler is told why. UDP ports 28800-28899
 * (TestCluster bases 28800-28840).
 */
class ChallengeAuthenticationTest
{
    private static final byte[] ALICE_SECRET = "alice-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ALICE = "alice".getBytes(StandardCharsets.UTF_8);

    private static Context challenged(final Context ctx)
    {
        ctx.admission().authenticator(new HmacChallengeAuthenticator(Map.of("alice", ALICE_SECRET)));
        return ctx;
    }

    private static Context challenged(final Context ctx, final long timeoutNs)
    {
        challenged(ctx).admission().challengeTimeoutNs(timeoutNs);
        return ctx;
    }

    /**
     * The deadline counts from the Connect and so includes making the egress publication, which took seconds on this
     * shared machine under load: tests that are not about the deadline give the client plenty.
     */
    private static Context patient(final Context ctx)
    {
        return challenged(ctx, TimeUnit.SECONDS.toNanos(60));
    }

    @Test
    void aClientAnsweringWithTheSharedSecretIsServedAcrossAFailover()
    {
        try (TestCluster cluster = new TestCluster(28800, 3, ChallengeAuthenticationTest::patient))
        {
            final int leader = cluster.awaitLeader(5000);
            final HmacChallengeResponder responder = new HmacChallengeResponder("alice", ALICE_SECRET);
            try (SynodClient alice = SynodClient.connect(cluster.clientContext()
                .credentials(responder.credentials()).challengeHandler(responder)))
            {
                ClusterIntegrationTest.sendAll(alice, 0, 10);
                assertEquals(0, cluster.nodes[leader].counters().connectsRefused(), "errors " + cluster.errors());

                // The new leader challenged alice at connect too: the session goes on under the same principal.
                final long session = alice.sessionId();
                cluster.stop(leader);
                ClusterIntegrationTest.sendAll(alice, 10, 20);
                assertEquals(session, alice.sessionId(), "the same session after the leader changed");
            }
        }
    }

    @Test
    void aClientWithoutAChallengeHandlerIsToldWhyAndRefused()
    {
        try (TestCluster cluster = new TestCluster(28840, 3, (ctx) -> challenged(ctx, TimeUnit.SECONDS.toNanos(1))))
        {
            cluster.awaitLeader(5000);
            final List<Throwable> clientErrors = new CopyOnWriteArrayList<>();
            assertThrows(RuntimeException.class, () -> SynodClient.connect(cluster.clientContext()
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(3)).errorHandler(clientErrors::add)
                .credentials(ALICE)).close());
            assertTrue(clientErrors.stream().anyMatch((e) ->
                e.getMessage().contains("ClientContext.challengeHandler is not set")), "client errors " + clientErrors);
            TestCluster.awaitTrue(() -> cluster.errors().stream().anyMatch((e) ->
                e.getMessage().contains("not answered in time")), 10_000,
                () -> "the unanswered challenges refused; errors " + cluster.errors());
        }
    }

    @Test
    void aWrongAnswerIsRefused()
    {
        try (TestCluster cluster = new TestCluster(28810, 3, ChallengeAuthenticationTest::patient))
        {
            final int leader = cluster.awaitLeader(5000);
            final NodeCounters counters = cluster.nodes[leader].counters();
            try (RawClient mallory = rawClient(cluster, leader))
            {
                mallory.sendConnect(mallory.responseChannel, RawClient.RESPONSE_STREAM_ID, ALICE);
                final RawClient.Challenge challenge = mallory.awaitChallenge(10_000);
                final byte[] wrong = new HmacChallengeResponder("alice",
                    "not-alices-secret-0123456789".getBytes(StandardCharsets.UTF_8)).onChallenge(0, challenge.bytes());
                mallory.sendChallengeResponse(challenge.correlationId(), wrong);
                TestCluster.awaitTrue(() -> counters.connectsRefused() > 0, 5000,
                    () -> "the wrong answer refused; errors " + cluster.errors());
                assertTrue(cluster.errors().stream().anyMatch((e) ->
                    e.getMessage().contains("refused by the authenticator after its challenge")),
                    "errors " + cluster.errors());
                mallory.sendSessionOpen(1);
                mallory.drain(500);
                assertEquals(0, mallory.count(ResponseCode.SESSION_OPENED), "no session after a wrong answer");
            }
        }
    }

    @Test
    void anUnansweredChallengeTimesOutAndFreesItsPendingConnectSlot()
    {
        try (TestCluster cluster = new TestCluster(28820, 3, (ctx) ->
        {
            // Counted from the Connect, so it includes making the egress publication: 500 ms was too short for the
            // second client to see its challenge and answer on this loaded machine once in four runs.
            challenged(ctx, TimeUnit.SECONDS.toNanos(2)).admission().maxPendingConnects(1);
            return ctx;
        }))
        {
            final int leader = cluster.awaitLeader(5000);
            final NodeCounters counters = cluster.nodes[leader].counters();
            try (RawClient silent = rawClient(cluster, leader);
                RawClient second = rawClient(cluster, leader))
            {
                silent.sendConnect(silent.responseChannel, RawClient.RESPONSE_STREAM_ID, ALICE);
                silent.awaitChallenge(10_000);
                final long unconnectedBefore = counters.requestsUnconnected();
                silent.sendSessionOpen(1);
                TestCluster.awaitTrue(() -> counters.requestsUnconnected() > unconnectedBefore, 5000,
                    () -> "the challenged client's request dropped before the core");

                second.sendConnect(second.responseChannel, RawClient.RESPONSE_STREAM_ID, ALICE);
                TestCluster.awaitTrue(() -> cluster.errors().stream().anyMatch((e) ->
                    e.getMessage().contains("maxPendingConnects")), 5000,
                    () -> "the second Connect refused while the challenge holds the only slot; errors " +
                    cluster.errors());

                TestCluster.awaitTrue(() -> cluster.errors().stream().anyMatch((e) ->
                    e.getMessage().contains("not answered in time")), 10_000,
                    () -> "the unanswered challenge refused; errors " + cluster.errors());
                assertEquals(0, silent.count(ResponseCode.SESSION_OPENED));

                // The slot is free again: the second client is challenged, answers and opens a session.
                answerAndOpen(second);
            }
        }
    }

    @Test
    void aChallengeResponseFromAnotherConnectionIsRefused()
    {
        try (TestCluster cluster = new TestCluster(28830, 3, ChallengeAuthenticationTest::patient))
        {
            final int leader = cluster.awaitLeader(5000);
            final NodeCounters counters = cluster.nodes[leader].counters();
            try (RawClient victim = rawClient(cluster, leader);
                RawClient forger = rawClient(cluster, leader))
            {
                victim.sendConnect(victim.responseChannel, RawClient.RESPONSE_STREAM_ID, ALICE);
                final RawClient.Challenge victims = victim.awaitChallenge(10_000);

                // The right answer to the victim's challenge, from a connection that was never challenged.
                final long unconnectedBefore = counters.requestsUnconnected();
                forger.sendChallengeResponse(victims.correlationId(), answer(victims.bytes()));
                TestCluster.awaitTrue(() -> counters.requestsUnconnected() > unconnectedBefore, 5000,
                    () -> "an answer from an unchallenged connection dropped");

                // Challenged itself, the forger replays the answer to the victim's nonce (with its own round's id).
                forger.sendConnect(forger.responseChannel, RawClient.RESPONSE_STREAM_ID, ALICE);
                final RawClient.Challenge forgers = forger.awaitChallenge(10_000);
                final long refusedBefore = counters.connectsRefused();
                forger.sendChallengeResponse(forgers.correlationId(), answer(victims.bytes()));
                TestCluster.awaitTrue(() -> counters.connectsRefused() > refusedBefore, 5000,
                    () -> "the replayed answer refused; errors " + cluster.errors());
                forger.sendSessionOpen(7);
                forger.drain(500);
                assertEquals(0, forger.count(ResponseCode.SESSION_OPENED), "no session for the forger");

                // The victim's own round went on untouched.
                victim.sendChallengeResponse(victims.correlationId(), answer(victims.bytes()));
                victim.awaitResponse(ResponseCode.SESSION_OPENED, () -> victim.sendSessionOpen(1));
            }
        }
    }

    private static RawClient rawClient(final TestCluster cluster, final int node)
    {
        return new RawClient(cluster.aeronDir.getAbsolutePath(), cluster.nodes[node].context().member(node)
            .ingressEndpoint());
    }

    /**
     * Connect, answer the challenge and open a session; again (up to 3 times) if the round ran out before the answer
     * arrived, as it can under load with the short timeout of the test that needs one.
     */
    private static void answerAndOpen(final RawClient client)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                client.sendConnect(client.responseChannel, RawClient.RESPONSE_STREAM_ID, ALICE);
                final RawClient.Challenge challenge = client.awaitChallenge(10_000);
                client.sendChallengeResponse(challenge.correlationId(), answer(challenge.bytes()));
                client.awaitResponse(ResponseCode.SESSION_OPENED, () -> client.sendSessionOpen(2));
                return;
            }
            catch (final AssertionError ex)
            {
                if (attempt == 3)
                {
                    throw ex;
                }
            }
        }
    }

    private static byte[] answer(final byte[] challenge)
    {
        return new HmacChallengeResponder("alice", ALICE_SECRET).onChallenge(0, challenge);
    }
}
