package io.synod.perf.compare;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.File;

/**
 * One Aeron Cluster node as its own process: a {@link ClusteredMediaDriver} (media driver, archive, consensus module)
 * and a {@link ClusteredServiceContainer} running {@link EchoService}. Stops on SIGINT/SIGTERM or when the harness
 * is gone.
 * <pre>
 * AeronClusterNode &lt;member id&gt; &lt;cluster members&gt; &lt;node dir&gt; &lt;idle strategy&gt;
 * </pre>
 */
public final class AeronClusterNode
{
    private AeronClusterNode()
    {
    }

    /**
     * @param args member id, cluster members string, node directory, idle strategy name.
     */
    public static void main(final String[] args)
    {
        ChildProcesses.exitWithParent();
        final int id = Integer.parseInt(args[0]);
        final String members = args[1];
        final File nodeDir = new File(args[2]);
        final String idle = args[3];
        final int archivePort = Integer.parseInt(members.split("\\|")[id].split(",")[5].split(":")[1]);
        final String aeronDir = new File(nodeDir, "aeron").getPath();
        final ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();

        final MediaDriver.Context driver = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(Idle.of(idle))
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .terminationHook(barrier::signal);
        final Archive.Context archive = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveDir(new File(nodeDir, "archive"))
            .archiveId(id)
            .controlChannel("aeron:udp?endpoint=127.0.0.1:" + archivePort)
            .localControlChannel("aeron:ipc?term-length=64k")
            .replicationChannel("aeron:udp?endpoint=127.0.0.1:0")
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(() -> Idle.of(idle))
            .fileSyncLevel(0)
            .catalogFileSyncLevel(0)
            .deleteArchiveOnStart(true);
        final AeronArchive.Context archiveClient = new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .controlRequestChannel(archive.localControlChannel())
            .controlRequestStreamId(archive.localControlStreamId())
            .controlResponseChannel(archive.localControlChannel())
            .aeronDirectoryName(aeronDir);
        final File clusterDir = new File(nodeDir, "cluster");
        final ConsensusModule.Context consensus = new ConsensusModule.Context()
            .clusterMemberId(id)
            .clusterMembers(members)
            .clusterDir(clusterDir)
            .ingressChannel("aeron:udp")
            .replicationChannel("aeron:udp?endpoint=127.0.0.1:0")
            .archiveContext(archiveClient.clone())
            .idleStrategySupplier(() -> Idle.of(idle))
            .deleteDirOnStart(true);
        final ClusteredServiceContainer.Context service = new ClusteredServiceContainer.Context()
            .aeronDirectoryName(aeronDir)
            .archiveContext(archiveClient.clone())
            .clusterDir(clusterDir)
            .clusteredService(new EchoService())
            .idleStrategySupplier(() -> Idle.of(idle));

        // The barrier is closed last: its shutdown hook holds the JVM until then, so the node is closed first.
        try (barrier;
            ClusteredMediaDriver clusteredDriver = ClusteredMediaDriver.launch(driver, archive, consensus);
            ClusteredServiceContainer container = ClusteredServiceContainer.launch(service))
        {
            System.out.println("aeron cluster node " + id + " started: " + members);
            barrier.await();
            System.out.println("aeron cluster node " + id + " stopping");
        }
    }

    /** Sends every command back to its session: the smallest state machine, like Synod's counter. */
    static final class EchoService implements ClusteredService
    {
        private IdleStrategy idleStrategy;

        @Override
        public void onStart(final Cluster cluster, final Image snapshotImage)
        {
            idleStrategy = cluster.idleStrategy();
        }

        @Override
        public void onSessionOpen(final ClientSession session, final long timestamp)
        {
        }

        @Override
        public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
        {
        }

        @Override
        public void onSessionMessage(
            final ClientSession session,
            final long timestamp,
            final DirectBuffer buffer,
            final int offset,
            final int length,
            final Header header)
        {
            idleStrategy.reset();
            // On a follower offer returns at once (MOCKED_OFFER); a client gone (NOT_CONNECTED) is not waited for.
            long result;
            while ((result = session.offer(buffer, offset, length)) == Publication.BACK_PRESSURED ||
                result == Publication.ADMIN_ACTION)
            {
                idleStrategy.idle();
            }
        }

        @Override
        public void onTimerEvent(final long correlationId, final long timestamp)
        {
        }

        @Override
        public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
        {
        }

        @Override
        public void onRoleChange(final Cluster.Role newRole)
        {
        }

        @Override
        public void onTerminate(final Cluster cluster)
        {
        }
    }
}
