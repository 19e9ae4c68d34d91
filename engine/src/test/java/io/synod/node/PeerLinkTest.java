package io.synod.node;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.synod.codecs.AcceptEncoder;
import io.synod.codecs.HeartbeatEncoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime's two lanes per peer over a real Aeron UDP publication on loopback whose subscriber does not poll (a
 * stalled peer): the data lane takes no more than its byte budget and drops nothing, a heartbeat sent after it is full
 * is the first thing the peer reads, and data a publication refuses is counted and reported to the core.
 */
class PeerLinkTest
{
    private static final int TERM_LENGTH = 64 * 1024;
    private static final int BUDGET = 16 * 1024;
    private static final int QUEUE_CAPACITY = 64 * 1024;
    private static final int ACCEPT_LENGTH = 4 * 1024;
    private static final PeerTrailer TRAILER = new PeerTrailer(null, 0);
    private static final int CONTROL_STREAM = 11;
    private static final int DATA_STREAM = 10;
    private static final String CHANNEL = "aeron:udp?endpoint=127.0.0.1:22750";

    private File aeronDir;
    private MediaDriver driver;
    private Aeron aeron;
    private final RuntimeCounts counts = new RuntimeCounts();
    private final UnsafeBuffer accept = message(AcceptEncoder.TEMPLATE_ID, ACCEPT_LENGTH);
    private final UnsafeBuffer heartbeat = message(HeartbeatEncoder.TEMPLATE_ID, 64);

    @BeforeEach
    void launch()
    {
        aeronDir = new File(System.getProperty("java.io.tmpdir"), "synod-peer-link-" + System.nanoTime());
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.getAbsolutePath())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy())
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.getAbsolutePath()));
    }

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(aeron, driver);
        IoUtil.delete(aeronDir, true);
    }

    @Test
    void stalledPeerGetsNoMoreDataThanItsBudgetAndReadsTheHeartbeatFirst()
    {
        final Subscription controlSubscription = aeron.addSubscription(CHANNEL, CONTROL_STREAM);
        final Subscription dataSubscription = aeron.addSubscription(CHANNEL, DATA_STREAM);
        final PeerLink link = link(CHANNEL);
        final BufferedOutbox outbox = new BufferedOutbox(new PeerLink[]{ link }, null, null, counts, TRAILER, 0);
        final PeerPublisher publisher = new PeerPublisher(new PeerLink[]{ link }, counts);
        TestCluster.awaitTrue(() -> link.dataPublication.isConnected() && link.controlPublication.isConnected() &&
            link.dataPublication.positionLimit() > 0, 5_000, () -> "both lanes connected");

        // Many duty cycles of a leader replicating to a peer that reads nothing, as the core does it: only while a
        // whole message fits.
        int sent = 0;
        for (int cycle = 0; cycle < 200; cycle++)
        {
            while (outbox.peerCapacity(1) >= ACCEPT_LENGTH)
            {
                outbox.sendToPeer(1, accept, 0, ACCEPT_LENGTH);
                sent++;
            }
            publisher.flush();
            Thread.yield();
        }
        assertTrue(sent > 0, "the budget let data through");
        // What left: at most the budget unsent in the publication, plus the receiver's window (term / 2 at most).
        assertTrue((long)sent * ACCEPT_LENGTH <= BUDGET + TERM_LENGTH / 2,
            sent + " Accepts of " + ACCEPT_LENGTH + " bytes for a budget of " + BUDGET);
        assertEquals(0, counts.peerMessagesDropped, "nothing dropped");
        assertFalse(link.dataLost);

        outbox.sendToPeer(1, heartbeat, 0, heartbeat.capacity());
        publisher.flush();
        assertTrue(link.controlQueue.isEmpty(), "the control lane is not back-pressured by data");
        final int[] templateId = { -1 };
        TestCluster.awaitTrue(() -> controlSubscription.poll((buffer, offset, length, header) ->
            templateId[0] = new MessageHeaderDecoder().wrap(buffer, offset).templateId(), 1) > 0, 5_000,
            () -> "the heartbeat on the control stream while the data stream is full");
        assertEquals(HeartbeatEncoder.TEMPLATE_ID, templateId[0]);

        // The peer reads again: every Accept arrives, and the budget opens for more.
        final int[] received = { 0 };
        final int expected = sent;
        final io.aeron.FragmentAssembler assembler = new io.aeron.FragmentAssembler(
            (buffer, offset, length, header) -> received[0]++);
        TestCluster.awaitTrue(() ->
        {
            dataSubscription.poll(assembler, 100);
            publisher.flush();
            return received[0] == expected;
        }, 5_000, () -> expected + " Accepts received, got " + received[0]);
        TestCluster.awaitTrue(() -> outbox.peerCapacity(1) >= ACCEPT_LENGTH, 5_000, () -> "room for data again");
    }

    @Test
    void dataThePublicationRefusesIsCountedAndReportedLost()
    {
        final PeerLink link = link("aeron:udp?endpoint=127.0.0.1:22751"); // nobody listens
        final BufferedOutbox outbox = new BufferedOutbox(new PeerLink[]{ link }, null, null, counts, TRAILER, 0);
        final PeerPublisher publisher = new PeerPublisher(new PeerLink[]{ link }, counts);
        assertEquals(0, outbox.peerCapacity(1), "no room for a peer that is not connected");

        outbox.sendToPeer(1, accept, 0, ACCEPT_LENGTH); // a core that ignored the capacity
        publisher.flush();

        assertEquals(1, counts.peerMessagesDropped);
        assertTrue(link.dataLost, "the agent tells the core, which sends it again");
        assertTrue(link.dataQueue.isEmpty());
    }

    @Test
    void dataThatDoesNotFitTheQueueIsRefusedAndReportedNotOlderData()
    {
        final PeerLink link = link("aeron:udp?endpoint=127.0.0.1:22752");
        final BufferedOutbox outbox = new BufferedOutbox(new PeerLink[]{ link }, null, null, counts, TRAILER, 0);
        int queued = 0;
        while (link.dataQueue.hasRoomFor(ACCEPT_LENGTH + PeerTrailer.LENGTH))
        {
            outbox.sendToPeer(1, accept, 0, ACCEPT_LENGTH);
            queued++;
        }
        assertFalse(link.dataLost);
        outbox.sendToPeer(1, accept, 0, ACCEPT_LENGTH);
        assertEquals(1, counts.peerMessagesDropped);
        assertTrue(link.dataLost);
        final int[] left = { 0 };
        link.dataQueue.drain((buffer, offset, length, head) -> ++left[0] > 0);
        assertEquals(queued, left[0], "the older messages stay");
    }

    @Test
    void aMessageSentToEveryPeerIsSealedOnceAndEachCopyVerifies()
    {
        final byte[] key = ClusterKey.parse(TestCluster.CLUSTER_KEY, "test");
        final PeerLink one = link("aeron:udp?endpoint=127.0.0.1:22753");
        final PeerLink two = link("aeron:udp?endpoint=127.0.0.1:22754", 2);
        final BufferedOutbox outbox = new BufferedOutbox(
            new PeerLink[]{ one, two }, null, null, counts, new PeerTrailer(key, 7), ACCEPT_LENGTH);
        outbox.sendToPeer(1, heartbeat, 0, heartbeat.capacity());
        outbox.sendToPeer(2, heartbeat, 0, heartbeat.capacity());
        assertEquals(1, outbox.seals(), "one MAC for a broadcast");
        heartbeat.putByte(20, (byte)(heartbeat.getByte(20) + 1));
        outbox.sendToPeer(1, heartbeat, 0, heartbeat.capacity());
        assertEquals(2, outbox.seals(), "changed bytes, a new MAC");

        final PeerTrailer receiver = new PeerTrailer(key, 7);
        final int[] verified = { 0 };
        for (final PeerLink link : new PeerLink[]{ one, two })
        {
            link.controlQueue.drain((buffer, offset, length, head) ->
            {
                assertEquals(heartbeat.capacity() + PeerTrailer.LENGTH, length);
                assertTrue(receiver.verify(buffer, offset, length), "verifies");
                verified[0]++;
                return true;
            });
        }
        assertEquals(3, verified[0]);
    }

    private PeerLink link(final String channel)
    {
        return link(channel, 1);
    }

    private PeerLink link(final String channel, final int peerId)
    {
        final ExclusivePublication control = aeron.addExclusivePublication(
            channel + "|term-length=" + TERM_LENGTH, CONTROL_STREAM);
        final ExclusivePublication data = aeron.addExclusivePublication(
            channel + "|term-length=" + TERM_LENGTH + "|pub-wnd=" + BUDGET, DATA_STREAM);
        return new PeerLink(peerId, control, data, QUEUE_CAPACITY, BUDGET);
    }

    private static UnsafeBuffer message(final int templateId, final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        new MessageHeaderEncoder().wrap(buffer, 0).templateId(templateId).schemaId(MessageHeaderEncoder.SCHEMA_ID);
        return buffer;
    }
}
