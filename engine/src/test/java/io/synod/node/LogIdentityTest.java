package io.synod.node;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7 section 6, through the node as an operator starts it: an acceptor that forgot its promise (metadata
 * deleted) or a node started on another node's or another cluster's log directory must refuse to start, with a message
 * that says why, instead of voting with a memory that is not its own.
 */
class LogIdentityTest
{
    private static final String MEMBERS = "0=127.0.0.1:23900:23950,1=127.0.0.1:23901:23951,2=127.0.0.1:23902:23952";

    @TempDir
    Path dir;

    private int starts;

    private Context context(final int nodeId, final int clusterId, final Path logDirectory)
    {
        final Context context = new Context()
            .nodeId(nodeId)
            .clusterId(clusterId)
            .members(MEMBERS)
            .aeronDirectoryName(dir.resolve("aeron-" + starts++).toString())
            .idleStrategy(new BackoffIdleStrategy())
            .stateMachine(new RecordingStateMachine());
        context.peers().clusterKey(TestCluster.CLUSTER_KEY);
        context.log().logDirectory(logDirectory.toString());
        return context;
    }

    private void startAndStop(final int nodeId, final int clusterId, final Path logDirectory)
    {
        SynodNode.launch(context(nodeId, clusterId, logDirectory)).close();
    }

    @Test
    void nodeRestartedWithItsMetadataDeletedRefusesToStart() throws Exception
    {
        final Path log = dir.resolve("log-0");
        startAndStop(0, 7, log);
        Files.delete(log.resolve("metadata.dat"));

        final RuntimeException ex = assertThrows(RuntimeException.class, () -> startAndStop(0, 7, log));
        assertTrue(ex.getMessage().contains("metadata file is missing") &&
            ex.getMessage().contains("promise is lost"), ex.getMessage());
    }

    @Test
    void nodeStartedOnAnotherClustersLogRefusesToStart()
    {
        final Path log = dir.resolve("log-0");
        startAndStop(0, 7, log);

        final RuntimeException ex = assertThrows(RuntimeException.class, () -> startAndStop(0, 8, log));
        assertTrue(ex.getMessage().contains("belongs to cluster 7 node 0, not to cluster 8 node 0"), ex.getMessage());
    }

    @Test
    void nodeStartedOnAnotherNodesLogRefusesToStart()
    {
        final Path log = dir.resolve("log-1");
        startAndStop(1, 7, log);

        final RuntimeException ex = assertThrows(RuntimeException.class, () -> startAndStop(2, 7, log));
        assertTrue(ex.getMessage().contains("belongs to cluster 7 node 1, not to cluster 7 node 2"), ex.getMessage());
        startAndStop(1, 7, log); // its own node still starts on it: the refused start left nothing behind
    }
}
