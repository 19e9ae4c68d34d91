package io.synod.node;

import io.synod.StateMachineFailedException;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.synod.Role;
import io.synod.core.Ballot;
import io.synod.log.PaxosLog;
import io.synod.IdleStrategies;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Date;

/**
 * One member of a Synod cluster: the protocol core, its log and the user's state machine, driven by one
 * single-writer agent over Aeron UDP. Launch with {@link #launch(Context)}; the agent runs on its own thread, or on
 * the application's through {@link #invoker()} when {@link Context#useAgentInvoker(boolean)} is set.
 */
public final class SynodNode implements AutoCloseable
{
    private final Context ctx;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final PaxosLog log;
    private final NodeAgent agent;
    private final AgentRunner runner;
    private final AgentInvoker invoker;
    private final NodeMetrics metrics;
    private final CountingErrorHandler errorHandler;
    private volatile boolean closed;
    private volatile File savedErrorLog;

    private SynodNode(final Context ctx)
    {
        this.ctx = ctx;
        errorHandler = new CountingErrorHandler(ctx.errorHandler());
        MediaDriver driver = null;
        Aeron aeron = null;
        PaxosLog log = null;
        NodeMetrics metrics = null;
        NodeAgent agent = null;
        try
        {
            if (ctx.embeddedDriver())
            {
                AeronDirectoryGuard.refuseIfInUse(ctx.aeronDirectoryName());
                driver = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(ctx.aeronDirectoryName())
                    .threadingMode(ctx.threadingMode())
                    .sharedIdleStrategy(ctx.driverIdleStrategy())
                    .conductorIdleStrategy(ctx.driverIdleStrategy())
                    .senderIdleStrategy(ctx.driverIdleStrategy())
                    .receiverIdleStrategy(ctx.driverIdleStrategy())
                    .sharedNetworkIdleStrategy(ctx.driverIdleStrategy())
                    .termBufferSparseFile(true)
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .errorHandler(errorHandler::onDriverError)); // the driver logs its own errors
                errorHandler.distinctErrorLog(driver.context().errorLog());
            }
            // INVOKER: the driver runs inside the node agent's duty cycle, so a node is one thread, not two.
            final AgentInvoker driverInvoker = null == driver ? null : driver.sharedAgentInvoker();
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .useConductorAgentInvoker(true)
                .driverAgentInvoker(driverInvoker)
                .errorHandler(errorHandler)
                .clientName("synod-node-" + ctx.nodeId()));
            log = ctx.log().logFactory().newLog(ctx);
            metrics = new NodeMetrics(ctx.histogramLogFile());
            agent = new NodeAgent(ctx, aeron, driverInvoker, log, errorHandler, metrics);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(metrics, log, aeron, driver);
            throw ex;
        }
        this.driver = driver;
        this.aeron = aeron;
        this.log = log;
        this.metrics = metrics;
        this.agent = agent;
        if (ctx.useAgentInvoker())
        {
            invoker = new AgentInvoker(errorHandler, null, agent);
            runner = null;
            invoker.start();
        }
        else
        {
            invoker = null;
            runner = new AgentRunner(ctx.idleStrategy(), errorHandler, null, agent);
            AgentRunner.startOnThread(runner);
        }
    }

    /**
     * Start a node: its media driver (unless external), its Aeron client, its log, and its agent.
     *
     * @param ctx settings; concluded here.
     * @return the running node.
     * @throws io.aeron.exceptions.ConfigurationException naming a bad setting.
     */
    public static SynodNode launch(final Context ctx)
    {
        ctx.conclude();
        return new SynodNode(ctx);
    }

    /**
     * @return a one-line description of the runtime configuration: idle strategy, threading, driver, cores.
     */
    public String describeRuntime()
    {
        return "node " + ctx.nodeId() + ": idle=" + ctx.idleStrategy().getClass().getSimpleName() +
            " (" + IdleStrategies.resolve(ctx.idleStrategyName(), ctx.busySpinMinCores()) + " for " +
            Runtime.getRuntime().availableProcessors() + " cores), driver=" +
            (ctx.embeddedDriver() ? "embedded " + ctx.threadingMode() : "external") + " at " +
            ctx.aeronDirectoryName() + ", agent=" + (ctx.useAgentInvoker() ? "invoker" : "own thread");
    }

    /**
     * @return the invoker to call from the application's thread, or null when the agent has its own thread.
     */
    public AgentInvoker invoker()
    {
        return invoker;
    }

    /** @return the settings. */
    public Context context()
    {
        return ctx;
    }

    /** @return this node's id. */
    public int nodeId()
    {
        return ctx.nodeId();
    }

    /** @return the role as of the last duty cycle. */
    public Role role()
    {
        final long code = counters().role();
        return code == Role.LEADER.code() ? Role.LEADER : code == Role.CANDIDATE.code() ? Role.CANDIDATE : Role.FOLLOWER;
    }

    /**
     * @return false while the node is a learner: its log was created empty without bootstrap (first start, or a lost
     * or replaced disk) and it has not yet heard every other member and caught up; as of the last duty cycle.
     */
    public boolean isVoting()
    {
        return counters().voting() == 1;
    }

    /** @return the leader as of the last duty cycle, -1 if none known. */
    public int leaderId()
    {
        return (int)counters().leaderId();
    }

    /** @return the commit index as of the last duty cycle. */
    public long commitIndex()
    {
        return counters().commitIndex();
    }

    /** @return the applied index as of the last duty cycle. */
    public long appliedIndex()
    {
        return counters().appliedIndex();
    }

    /**
     * A node stops itself (fail-stop) when a duty cycle fails, for example when its log cannot be written because
     * the file system is full, or when its state machine threw (see {@link #failureCause()}): it no longer applies,
     * leads, votes or answers clients, and looks down to the rest of the cluster. Close it, fix the cause and start it
     * again; a restart rebuilds its state from the log.
     *
     * @return true once the node has stopped after a failure; from any thread.
     */
    public boolean isFailed()
    {
        return agent.failure() != null;
    }

    /**
     * @return why the node stopped, or null while it runs: a {@link StateMachineFailedException} naming the slot,
     * session and sequence when the state machine threw; a {@link NodeFailedException} whose cause names the file and
     * size when the log could not be written. The same exception went to the {@link Context#errorHandler() error
     * handler}.
     */
    public Throwable failureCause()
    {
        return agent.failure();
    }

    /**
     * @return one line on the node as of the last duty cycle: role, leader, ballot (round.node), commit and applied
     * index, clients, and each peer's connectivity and, while leading, its lag in slots; also after close.
     */
    public String status()
    {
        final NodeCounters counters = counters();
        final StringBuilder status = new StringBuilder(128)
            .append("node ").append(nodeId()).append(' ').append(role())
            .append(isFailed() ? " FAILED" : isVoting() ? "" : " (learner: rejoining)")
            .append(" leader=").append(leaderId())
            .append(" ballot=").append(Ballot.toString(counters.ballot()))
            .append(" commit=").append(commitIndex())
            .append(" applied=").append(appliedIndex())
            .append(" clients=").append(counters.connectedClients())
            .append(" peers=");
        for (int p = 0; p < counters.peerCount(); p++)
        {
            final long lag = counters.peerLag(p);
            status.append(p == 0 ? "" : ",").append(counters.peerId(p))
                .append(counters.peerConnected(p) ? ":up" : ":down");
            if (lag >= 0)
            {
                status.append(" lag ").append(lag);
            }
        }
        return status.append(closed ? " (closed)" : "").toString();
    }

    /**
     * @return the node's Aeron counters, readable from any thread and by AeronStat; their last values stay readable
     * here after {@link #close()}.
     */
    public NodeCounters counters()
    {
        return agent.counters();
    }

    /** @return the node's latency histograms. */
    public NodeMetrics metrics()
    {
        return metrics;
    }

    /** @return the node's log (after {@link #close()} it may be reused by a new node, for an in-memory log). */
    public PaxosLog log()
    {
        return log;
    }

    /**
     * The driver's directory, and its distinct error log with it, goes when the node closes: keep the errors in a
     * file beside it, as Aeron does for a stale directory, so a node that stopped itself can be diagnosed after.
     */
    private File saveErrorLog(final AtomicBuffer errorLog)
    {
        if (!ErrorLogReader.hasErrors(errorLog))
        {
            return null;
        }
        final File file = new File(ctx.aeronDirectoryName() + "-" +
            new SimpleDateFormat("yyyy-MM-dd-HH-mm-ss-SSSZ").format(new Date()) + "-error.log");
        try (PrintStream out = new PrintStream(new FileOutputStream(file), false, StandardCharsets.UTF_8))
        {
            io.aeron.CommonContext.printErrorLog(errorLog, out);
            return file;
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
            return null;
        }
    }

    /**
     * @return after {@link #close()}, the file the embedded driver's distinct error log was saved to (errors of the
     * node and the driver, with stack traces and counts), or null if there were none or the driver is external.
     */
    public File savedErrorLog()
    {
        return savedErrorLog;
    }

    /**
     * Stop the agent, then close the Aeron client, the driver, the metrics and the log.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (runner != null)
        {
            CloseHelper.close(errorHandler, runner);
        }
        else
        {
            CloseHelper.close(errorHandler, invoker);
        }
        errorHandler.distinctErrorLog(null); // it lives in the driver's cnc file, unmapped below
        if (driver != null)
        {
            savedErrorLog = saveErrorLog(driver.context().errorLog().buffer());
        }
        CloseHelper.closeAll(aeron, driver, metrics);
        CloseHelper.close(errorHandler, log); // an in-memory log's close does nothing: tests restart on the object
    }
}
