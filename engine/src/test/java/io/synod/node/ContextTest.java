package io.synod.node;

import io.aeron.exceptions.ConfigurationException;
import io.synod.client.ClientContext;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextTest
{
    private static Context valid()
    {
        final Context context = new Context().nodeId(1).stateMachine(new RecordingStateMachine());
        context.peers().clusterKey(TestCluster.CLUSTER_KEY);
        return context;
    }

    private static void assertFailsNaming(final String setting, final Consumer<Context> change)
    {
        final Context ctx = valid();
        change.accept(ctx);
        final ConfigurationException ex = assertThrows(ConfigurationException.class, ctx::conclude);
        assertTrue(ex.getMessage().contains(setting), "message should name " + setting + ": " + ex.getMessage());
    }

    @Test
    void defaultsConclude()
    {
        final Context ctx = valid();
        assertDoesNotThrow(ctx::conclude);
        assertTrue(ctx.idleStrategy() != null && ctx.threadingMode() != null && ctx.aeronDirectoryName() != null);
        assertTrue(ctx.member(1).ingressPort() == ctx.member(1).peerPort() + 1000, ctx.member(1).toString());
    }

    @Test
    void partsCanBeSetWithoutLeavingTheChain()
    {
        final Context ctx = new Context()
            .nodeId(1)
            .stateMachine(new RecordingStateMachine())
            .peers((peers) -> peers.clusterKey(TestCluster.CLUSTER_KEY))
            .admission((admission) -> admission.maxClients(7).requireSessionKey(true))
            .log((log) -> log.logSegmentLength(8 * 1024 * 1024))
            .conclude();
        assertEquals(7, ctx.admission().maxClients());
        assertTrue(ctx.admission().requireSessionKey());
        assertEquals(8 * 1024 * 1024, ctx.log().logSegmentLength());
    }

    @Test
    void bootstrapIsOffUnlessAskedForAndReachesTheCore()
    {
        final Context plain = valid().conclude();
        assertFalse(plain.bootstrap());
        assertFalse(plain.coreConfig().bootstrap(), "an empty log rejoins as a learner by default");

        System.setProperty(io.synod.Configuration.BOOTSTRAP_PROP, "true");
        try
        {
            final Context fromProperty = valid().conclude();
            assertTrue(fromProperty.coreConfig().bootstrap());
        }
        finally
        {
            System.clearProperty(io.synod.Configuration.BOOTSTRAP_PROP);
        }
        assertTrue(valid().bootstrap(true).conclude().coreConfig().bootstrap());
        assertTrue(valid().conclude().coreConfig().incarnation() != valid().conclude().coreConfig().incarnation(),
            "each start draws its own incarnation for the rejoin nonce");
    }

    @Test
    void badSettingsFailNamingTheSetting()
    {
        assertFailsNaming("nodeId", (ctx) -> ctx.nodeId(7));
        assertFailsNaming("members", (ctx) -> ctx.members("0=localhost"));
        assertFailsNaming("members", (ctx) -> ctx.members("0=localhost:1,0=localhost:2"));
        assertFailsNaming("members", (ctx) -> ctx.members("0=localhost:70000"));
        assertFailsNaming("termLength", (ctx) -> ctx.termLength(100_000));
        assertFailsNaming("maxMessageLength", (ctx) -> ctx.termLength(64 * 1024).maxMessageLength(128 * 1024));
        assertFailsNaming("logSegmentLength", (ctx) -> ctx.log().logSegmentLength(10));
        assertFailsNaming("synod.idle.strategy", (ctx) -> ctx.idleStrategyName("turbo"));
        assertFailsNaming("threadingMode", (ctx) -> ctx.threadingModeName("FAST"));
        assertFailsNaming("stateMachine", (ctx) -> ctx.stateMachine(null));
        assertFailsNaming("electionTimeoutNs", (ctx) -> ctx.heartbeatIntervalNs(10).electionTimeoutNs(15));
        assertFailsNaming("peerQueueCapacity", (ctx) -> ctx.peers().peerQueueCapacity(1000));
        assertFailsNaming("aeronDirectoryName", (ctx) -> ctx.embeddedDriver(false).aeronDirectoryName(null));
        assertFailsNaming("ingressStreamId", (ctx) -> ctx.ingressStreamId(ctx.peers().peerStreamId()));
        assertFailsNaming("peerControlStreamId", (ctx) -> ctx.peers().peerControlStreamId(ctx.peers().peerStreamId()));
        assertFailsNaming("peerDataBudget", (ctx) -> ctx.peers().peerDataBudget(ctx.maxMessageLength()));
        assertFailsNaming("peerDataBudget", (ctx) -> ctx.peers().peerDataBudget(ctx.termLength()));
        assertFailsNaming("peerDataBudget",
            (ctx) -> ctx.peers().peerQueueCapacity(1024 * 1024).peerDataBudget(2 * 1024 * 1024));
        assertFailsNaming("synod.max.clients", (ctx) -> ctx.admission().maxClients(0));
        assertFailsNaming("synod.client.fragment.limit", (ctx) -> ctx.admission().clientFragmentLimit(0));
        assertFailsNaming("egressQueueCapacity", (ctx) -> ctx.admission().egressQueueCapacity(1000));
    }

    @Test
    void peerDataBudgetDefaultsToAQuarterOfTheTerm()
    {
        assertEquals(1024 * 1024, valid().conclude().peers().peerDataBudget(), "4 MiB term");
        assertEquals(256 * 1024, valid().termLength(1024 * 1024).maxMessageLength(64 * 1024).maxPayloadLength(1024)
            .conclude().peers().peerDataBudget());
    }

    @Test
    void badSystemPropertyFailsNamingTheProperty()
    {
        System.setProperty("synod.log.durability", "SOMETIMES");
        try
        {
            final ConfigurationException ex = assertThrows(
                ConfigurationException.class, () -> valid().conclude());
            assertTrue(ex.getMessage().contains("synod.log.durability"), ex.getMessage());
        }
        finally
        {
            System.clearProperty("synod.log.durability");
        }
        System.setProperty("synod.fragment.limit", "many");
        try
        {
            final ConfigurationException ex = assertThrows(ConfigurationException.class, Context::new);
            assertTrue(ex.getMessage().contains("synod.fragment.limit"), ex.getMessage());
        }
        finally
        {
            System.clearProperty("synod.fragment.limit");
        }
    }

    @Test
    void badClientSettingsFailNamingTheSetting()
    {
        final ConfigurationException ex = assertThrows(
            ConfigurationException.class, () -> new ClientContext().maxOutstanding(3).conclude());
        assertTrue(ex.getMessage().contains("maxOutstanding"), ex.getMessage());
        final ConfigurationException channel = assertThrows(
            ConfigurationException.class, () -> new ClientContext().egressChannel("aeron:ipc").conclude());
        assertTrue(channel.getMessage().contains("egressChannel"), channel.getMessage());
        final ConfigurationException queue = assertThrows(ConfigurationException.class,
            () -> new ClientContext().maxPayloadLength(1024).commandQueueCapacity(4096).conclude());
        assertTrue(queue.getMessage().contains("commandQueueCapacity"), queue.getMessage());
    }

    @Test
    void commandQueueIsSizedForTheLargestCommandByDefault()
    {
        final ClientContext ctx = new ClientContext().termLength(16 * 1024 * 1024).maxPayloadLength(1024 * 1024)
            .conclude();
        assertFalse(ctx.useOwnThread(), "poll mode by default");
        assertTrue(ctx.commandQueueCapacity() / 8 >= 1024 * 1024 + 16, "queue " + ctx.commandQueueCapacity());
        assertEquals(1024 * 1024, new ClientContext().conclude().commandQueueCapacity(), "at least 1 MiB");
    }
}
