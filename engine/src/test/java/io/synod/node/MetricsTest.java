package io.synod.node;

import io.synod.client.SynodClient;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node histograms: a percentile table on demand and interval logs (.hlog) readable by HdrHistogram's tools.
 */
class MetricsTest
{
    @Test
    void leaderRecordsLatenciesAndWritesIntervalLogs() throws Exception
    {
        final File dir = new File("target/metrics-test-" + System.nanoTime()).getAbsoluteFile();
        assertTrue(dir.mkdirs());
        final int leader;
        try (TestCluster cluster = new TestCluster(22100, 3, (ctx) -> ctx
            .histogramLogFile(new File(dir, "node-" + ctx.nodeId() + ".hlog").getPath())
            .histogramLogIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))))
        {
            try (SynodClient client = ClusterIntegrationTest.client(cluster))
            {
                ClusterIntegrationTest.sendAll(client, 0, 300);
                assertTrue(client.latencyHistogram().getTotalCount() >= 300, "client end-to-end recorded");
            }
            leader = cluster.awaitLeader(5000);
            final String table = cluster.nodes[leader].metrics().toString();
            System.out.println(table);
            assertTrue(table.contains("commit (received->chosen)") && table.contains("p99.9"), table);
            // A leader change under a loaded machine splits the responses between leaders: count them on all nodes.
            long responses = 0;
            for (final SynodNode node : cluster.nodes)
            {
                responses += node.metrics().histogram("response").getTotalCount();
            }
            assertTrue(responses >= 300, responses + " responses recorded; leader's table: " + table);
            assertTrue(cluster.nodes[leader].metrics().histogram("batch").getTotalCount() > 0, table);
            Thread.sleep(100); // at least one more interval
        }
        long commits = 0;
        for (int node = 0; node < 3; node++)
        {
            final HistogramLogReader reader = new HistogramLogReader(new File(dir, "node-" + node + ".hlog"));
            EncodableHistogram interval;
            while ((interval = reader.nextIntervalHistogram()) != null)
            {
                if ("commit".equals(interval.getTag()))
                {
                    commits += ((org.HdrHistogram.Histogram)interval).getTotalCount();
                }
            }
            reader.close();
        }
        assertTrue(commits >= 300, "commit intervals in the .hlog hold the commands: " + commits);
        org.agrona.IoUtil.delete(dir, true);
    }
}
