package io.synod.node;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.synod.core.Ballot;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;

/**
 * A health check a script can call, from outside the node's process: reads the node's counters from its Aeron
 * directory and says, in one line, whether the node is healthy. Unhealthy: no running driver or node there, the node
 * failed (fail-stop), it is a learner still rejoining, it knows no leader, it applies more than a bound behind its
 * commit index, or (on the leader) a peer is down or lags more than the bound.
 */
public final class NodeHealth
{
    private static final java.util.function.Consumer<String> IGNORE = (message) ->
    {
    };

    private NodeHealth()
    {
    }

    /**
     * The verdict.
     *
     * @param healthy true if healthy.
     * @param reason  one line: why not, or the node's state.
     */
    public record Result(boolean healthy, String reason)
    {
        /** @return the line a script prints: "healthy: ..." or "unhealthy: ...". */
        public String line()
        {
            return (healthy ? "healthy: " : "unhealthy: ") + reason;
        }
    }

    /**
     * @param aeronDirectory the node's Aeron directory (its embedded driver's, or the external one it uses).
     * @param nodeId         the node to check, or -1 for the first Synod node found there.
     * @param maxLag         most slots a node may apply behind its commit index, or a peer lag behind the leader.
     * @return the verdict.
     */
    public static Result check(final File aeronDirectory, final int nodeId, final long maxLag)
    {
        final File cncFile = new File(aeronDirectory, CncFileDescriptor.CNC_FILE);
        if (!cncFile.exists())
        {
            return new Result(false, "no media driver in " + aeronDirectory + " (the node is not running)");
        }
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(cncFile, "cnc");
        try
        {
            final DirectBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            final long pid = CncFileDescriptor.pid(metaData);
            if (!CommonContext.isDriverActive(CommonContext.DEFAULT_DRIVER_TIMEOUT_MS, IGNORE, cnc) ||
                (pid > 0 && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)))
            {
                return new Result(false, "the media driver in " + aeronDirectory + " is not running (pid " + pid +
                    ")");
            }
            return check(new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(cnc, metaData),
                CncFileDescriptor.createCountersValuesBuffer(cnc, metaData)), nodeId, maxLag);
        }
        catch (final IllegalStateException ex)
        {
            return new Result(false, "cannot read " + cncFile + ": " + ex.getMessage());
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }

    /**
     * @param counters the counters of the node's driver.
     * @param nodeId   the node to check, or -1 for the first Synod node found.
     * @param maxLag   most slots of apply lag or peer lag.
     * @return the verdict.
     */
    public static Result check(final CountersReader counters, final int nodeId, final long maxLag)
    {
        final long[] values = new long[NodeCounters.LABELS.length];
        final int[] found = {-1};
        final StringBuilder peers = new StringBuilder();
        final StringBuilder peerProblems = new StringBuilder();
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final int id = nodeIdOf(label);
            if (id < 0 || (nodeId >= 0 && id != nodeId) || (found[0] >= 0 && id != found[0]))
            {
                return;
            }
            final long value = counters.getCounterValue(counterId);
            if (typeId >= NodeCounters.TYPE_ID_BASE && typeId < NodeCounters.TYPE_ID_BASE + values.length)
            {
                found[0] = id;
                values[typeId - NodeCounters.TYPE_ID_BASE] = value;
            }
            else if (typeId == NodeCounters.PEER_CONNECTED_TYPE_ID && value == 0)
            {
                peerProblems.append(peerProblems.length() == 0 ? "" : ", ").append(peerOf(label)).append(" down");
            }
            else if (typeId == NodeCounters.PEER_LAG_TYPE_ID && value > maxLag)
            {
                peerProblems.append(peerProblems.length() == 0 ? "" : ", ").append(peerOf(label)).append(" lags ")
                    .append(value).append(" slots");
            }
            if (typeId == NodeCounters.PEER_LAG_TYPE_ID && value >= 0)
            {
                peers.append(peers.length() == 0 ? " lag " : ",").append(peerOf(label)).append(':').append(value);
            }
        });
        if (found[0] < 0)
        {
            return new Result(false, nodeId >= 0 ? "no counters of node " + nodeId : "no Synod node counters");
        }
        final String node = "node " + found[0];
        final long role = values[NodeCounters.ROLE];
        final long commit = values[NodeCounters.COMMIT_INDEX];
        final long applied = values[NodeCounters.APPLIED_INDEX];
        final String state = node + " " + (role == 2 ? "leader" : role == 1 ? "candidate" : "follower") +
            " leader=" + values[NodeCounters.LEADER_ID] + " ballot=" + Ballot.toString(values[NodeCounters.BALLOT]) +
            " commit=" + commit + " applied=" + applied + peers;
        if (values[NodeCounters.FAILED] == 1)
        {
            return new Result(false, node + " failed and stopped (fail-stop): read its error log with ErrorStat");
        }
        if (values[NodeCounters.VOTING] == 0)
        {
            return new Result(false, node + " is a learner still rejoining after an empty log: " + state);
        }
        if (values[NodeCounters.LEADER_ID] < 0)
        {
            return new Result(false, node + " knows no leader: " + state);
        }
        if (commit - applied > maxLag)
        {
            return new Result(false, node + " applies " + (commit - applied) + " slots behind its commit index " +
                "(bound " + maxLag + "): " + state);
        }
        if (role == 2 && peerProblems.length() > 0)
        {
            return new Result(false, node + " leads but peer " + peerProblems + " (bound " + maxLag + "): " + state);
        }
        return new Result(true, state);
    }

    /** @return N of a label "synod node N ...", or -1. */
    private static int nodeIdOf(final String label)
    {
        if (!label.startsWith("synod node "))
        {
            return -1;
        }
        final int end = label.indexOf(' ', "synod node ".length());
        try
        {
            return Integer.parseInt(label.substring("synod node ".length(), end < 0 ? label.length() : end));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    /** @return "N" of a label "synod node M peer N ...". */
    private static String peerOf(final String label)
    {
        final int start = label.indexOf(" peer ") + " peer ".length();
        final int end = label.indexOf(' ', start);
        return label.substring(start, end < 0 ? label.length() : end);
    }
}
