package io.synod.client;

import io.aeron.exceptions.TimeoutException;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A client of a Synod cluster with one exactly-once session. Connects to every member's ingress, opens a session
 * with the leader (following redirects), then sends commands with sequences 1, 2, 3... Several commands may be
 * outstanding (pipelining). When the node in use stops answering it fails over to the next one and resends every
 * unanswered command with the same sequence, in order; the replicated session record turns retries of applied
 * commands into their stored response or DUPLICATE, so each command is applied exactly once.
 * <p>
 * Layers: the protocol is a {@link ClientSession} (no I/O, no clock, no threads; its rules are listed there), its
 * transport is Aeron ({@code AeronClientTransport}: publications per member, egress subscriptions, Connect); this
 * class adds the blocking calls, the clock and the statistics, and own-thread mode wraps it in a thread of its own.
 * <p>
 * Two threading modes, one writer of the client's state in both:
 * <ul>
 *     <li>poll mode (default): single-threaded; the application's thread calls {@link #poll()} (or a blocking call),
 *     and listeners run on it.</li>
 *     <li>own-thread mode ({@link ClientContext#useOwnThread(boolean)}): {@link #connect(ClientContext)} starts an
 *     {@link AgentRunner} thread named {@code synod-client} that alone owns the client's state. Any number of
 *     application threads call {@link #offer}, {@link #submit} or {@link #send}: a command is copied into a
 *     {@link ManyToOneRingBuffer}, and the client thread drains it in its duty cycle, assigning sequences in queue
 *     order (so each application thread's commands are applied in the order it offered them). Listeners and
 *     {@link CommandHandle} completion run on the client thread. {@link #poll()} throws. The statistics getters
 *     read the client thread's plain fields: approximate while it runs, exact after {@link #close()}.</li>
 * </ul>
 */
public final class SynodClient implements AutoCloseable
{
    /** Returned by {@link #offer} when {@link ClientContext#maxOutstanding()} commands are outstanding. */
    public static final long WINDOW_FULL = ClientSession.WINDOW_FULL;

    /**
     * Returned by {@link #offer} in own-thread mode when the command was queued: the client thread assigns its
     * sequence and passes it to the listener (sequences start at 1).
     */
    public static final long QUEUED = 0;

    /** Thread name (agent role name) of the client thread in own-thread mode. */
    public static final String THREAD_NAME = "synod-client";

    private static final long NO_DEADLINE = ClientSession.NO_DEADLINE;

    private final ClientContext ctx;
    private final NanoClock clock;
    private final IdleStrategy idleStrategy;
    private final AeronClientTransport transport;
    private final ClientSession session;
    private final ClientThread clientThread; // own-thread mode; null otherwise
    private final int firstTarget;
    private boolean closed;

    private SynodClient(final ClientContext ctx)
    {
        this.ctx = ctx;
        this.clock = ctx.nanoClock();
        this.idleStrategy = ctx.idleStrategy();
        this.transport = new AeronClientTransport(ctx, clock, idleStrategy);
        final int[] memberIds = new int[ctx.clusterMembers().length];
        for (int i = 0; i < memberIds.length; i++)
        {
            memberIds[i] = ctx.clusterMembers()[i].id();
        }
        this.firstTarget = MemberTarget.likeliestLeader(memberIds);
        this.session = new ClientSession(memberIds, ctx.maxOutstanding(), ctx.maxPayloadLength(),
            ctx.responseTimeoutNs(), ctx.retryDelayNs(), transport, ctx.errorHandler());
        transport.session(session);
        this.clientThread = ctx.useOwnThread() ? new ClientThread(this, session, ctx) : null;
    }

    /**
     * Connect to the cluster and open a session; blocks up to {@link ClientContext#connectTimeoutNs()}. In own-thread
     * mode the session is opened on the calling thread, then the state is handed to the client thread it starts.
     *
     * @param ctx settings; concluded here.
     * @return a client with an open session.
     * @throws TimeoutException if no session could be opened in time.
     */
    public static SynodClient connect(final ClientContext ctx)
    {
        ctx.conclude();
        final SynodClient client = new SynodClient(ctx);
        try
        {
            client.openSession();
            if (null != client.clientThread)
            {
                client.clientThread.start(ctx);
            }
            return client;
        }
        catch (final RuntimeException ex)
        {
            client.close();
            throw ex;
        }
    }

    private void openSession()
    {
        final long startNs = clock.nanoTime();
        session.open(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), firstTarget, startNs);
        final long deadlineNs = startNs + ctx.connectTimeoutNs();
        while (session.state() != ClientSession.State.OPEN)
        {
            if (session.state() == ClientSession.State.FAILED)
            {
                throw new IllegalStateException("the cluster refused the session: " + session.failure() +
                    " (it holds its maximum of sessions; close idle ones or raise maxSessions)");
            }
            if (null != transport.refusal())
            {
                // Told, not guessed: a member of another cluster (or the wrong members) will not serve this client.
                throw new IllegalStateException("no session opened: " + transport.refusal());
            }
            if (clock.nanoTime() > deadlineNs)
            {
                throw new TimeoutException("no session opened within " +
                    TimeUnit.NANOSECONDS.toMillis(ctx.connectTimeoutNs()) + " ms; members " + ctx.members() +
                    ", last tried node " + session.targetNodeId() + ", failovers " + session.failovers() +
                    " (a node drops a client its authenticator refused, or whose cluster id " + ctx.clusterId() +
                    " is not its own: see the nodes' error logs)");
            }
            idleStrategy.idle(doPoll());
        }
    }

    /**
     * Send a command without waiting. Zero allocation.
     * <p>
     * Poll mode: the command gets its sequence and is sent now. Own-thread mode: callable from any thread; the
     * command is copied into the command queue and this returns {@link #QUEUED}; the client thread assigns its
     * sequence and tells the listener the outcome on that thread.
     *
     * @param buffer   holding the command.
     * @param offset   of the command.
     * @param length   of the command, at most {@link ClientContext#maxPayloadLength()}.
     * @param listener told the outcome on the polling thread (poll mode) or the client thread (own-thread mode); may
     *                 be null.
     * @return the command's sequence (poll mode), {@link #QUEUED} (own-thread mode), or {@link #WINDOW_FULL}: the
     * window of {@link ClientContext#maxOutstanding()} (poll mode: poll and offer again) or the command queue
     * (own-thread mode: offer again) is full.
     * @throws IllegalStateException if the session was lost (expired, closed or refused) or the client closed.
     */
    public long offer(final DirectBuffer buffer, final int offset, final int length, final ResponseListener listener)
    {
        return offer(buffer, offset, length, listener, NO_DEADLINE);
    }

    /**
     * {@link #offer(DirectBuffer, int, int, ResponseListener)} with the application's own deadline: if no outcome has
     * arrived by {@code deadlineNs} (the client's {@link ClientContext#nanoClock()}), the listener is told
     * {@link ResponseCode#TIMED_OUT} at once and nothing more about this command. Giving up frees the application, not
     * the session: a command that already has its sequence stays in the window and is still sent until it is answered
     * (the session applies sequences in order, so its later commands need this one used up); it may still be applied.
     * A command still in the own-thread queue at its deadline is dropped unsent and told TIMED_OUT with sequence -1:
     * it is never applied. Checked on every poll; costs a scan of the window only when a deadline passes.
     *
     * @param buffer     holding the command.
     * @param offset     of the command.
     * @param length     of the command, at most {@link ClientContext#maxPayloadLength()}.
     * @param listener   told the outcome, or TIMED_OUT; may be null.
     * @param deadlineNs when to give up waiting, on the client's nano clock; {@link Long#MAX_VALUE} for never.
     * @return as {@link #offer(DirectBuffer, int, int, ResponseListener)}.
     */
    public long offer(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final ResponseListener listener,
        final long deadlineNs)
    {
        if (null != clientThread)
        {
            return clientThread.enqueue(buffer, offset, length, listener, deadlineNs);
        }
        final long nowNs = clock.nanoTime();
        return session.offer(buffer, offset, length, listener, nowNs, deadlineNs, nowNs);
    }

    /**
     * Send a command and get a future-like handle. Allocates the handle. Blocks while the window (poll mode) or the
     * command queue (own-thread mode) is full, up to {@link ClientContext#connectTimeoutNs()}.
     *
     * @param buffer holding the command.
     * @param offset of the command.
     * @param length of the command.
     * @return the handle, done once the response arrives while the client is polled (poll mode) or on the client
     * thread (own-thread mode).
     */
    public CommandHandle submit(final DirectBuffer buffer, final int offset, final int length)
    {
        final CommandHandle handle = new CommandHandle();
        final long deadlineNs = clock.nanoTime() + ctx.connectTimeoutNs();
        int attempts = 0;
        while (offer(buffer, offset, length, handle) == WINDOW_FULL)
        {
            if (clock.nanoTime() > deadlineNs)
            {
                throw new TimeoutException(null != clientThread ?
                    "command queue of " + clientThread.queueCapacity() + " bytes stayed full" :
                    "window of " + session.window() + " commands stayed full");
            }
            attempts = waitOnce(attempts);
        }
        return handle;
    }

    /**
     * Send a command and wait for its outcome (up to {@link ClientContext#connectTimeoutNs()}).
     *
     * @param buffer holding the command.
     * @param offset of the command.
     * @param length of the command.
     * @return the done handle.
     * @throws TimeoutException if no answer came in time.
     */
    public CommandHandle send(final DirectBuffer buffer, final int offset, final int length)
    {
        return submit(buffer, offset, length).await(this);
    }

    void awaitDone(final CommandHandle handle)
    {
        final long deadlineNs = clock.nanoTime() + ctx.connectTimeoutNs();
        int attempts = 0;
        while (!handle.isDone())
        {
            if (clock.nanoTime() > deadlineNs)
            {
                throw new TimeoutException("no response within " +
                    TimeUnit.NANOSECONDS.toMillis(ctx.connectTimeoutNs()) + " ms; " + this);
            }
            attempts = waitOnce(attempts);
        }
    }

    // Poll mode: poll, then the context's idle strategy. Own-thread mode: the application thread waits on the client
    // thread: spin, yield, then park up to 100 us (not the context's idle strategy: that instance is the client
    // thread's).
    private int waitOnce(final int attempts)
    {
        if (null == clientThread)
        {
            idleStrategy.idle(poll());
        }
        else if (attempts < 100)
        {
            Thread.onSpinWait();
        }
        else if (attempts < 200)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(Math.min(100_000L, 1_000L * (attempts - 199)));
        }
        return attempts + 1;
    }

    /**
     * Do the client's work: read responses, keep connections, fail over on timeout, (re)send commands. Poll mode
     * only.
     *
     * @return amount of work done, 0 if none.
     * @throws IllegalStateException in own-thread mode, where the client thread does this work.
     */
    public int poll()
    {
        if (null != clientThread)
        {
            throw new IllegalStateException("poll() is not for own-thread mode (ClientContext.useOwnThread): the " +
                THREAD_NAME + " thread polls the client; offer commands and take outcomes in listeners or handles");
        }
        return doPoll();
    }

    int doPoll()
    {
        if (closed)
        {
            return 0;
        }
        final long nowNs = clock.nanoTime();
        return transport.poll(nowNs) + session.doWork(nowNs);
    }

    /** @return the session id (its SESSION_OPEN slot), -1 if none. */
    public long sessionId()
    {
        return session.sessionId();
    }

    /** @return commands sent and not yet answered. */
    public int outstanding()
    {
        return session.outstanding();
    }

    /** @return the node the client sends to. */
    public int targetNodeId()
    {
        return session.targetNodeId();
    }

    /** @return times the client moved to another node. */
    public long failovers()
    {
        return session.failovers();
    }

    /**
     * @return times the client moved to another node because a NewLeader event named it (counted in failovers too).
     */
    public long newLeaders()
    {
        return session.newLeaders();
    }

    /**
     * @return commands whose deadline passed before their outcome (told TIMED_OUT while outstanding).
     */
    public long commandsTimedOut()
    {
        return session.commandsTimedOut();
    }

    /** @return redirects followed or waited on. */
    public long redirects()
    {
        return session.redirects();
    }

    /** @return commands sent again. */
    public long resends()
    {
        return session.resends();
    }

    /** @return malformed messages received. */
    public long malformedMessages()
    {
        return session.malformedMessages();
    }

    /** @return end-to-end latency of every answered command (offer to response), in ns; the live histogram. */
    public Histogram latencyHistogram()
    {
        return session.latencyHistogram();
    }

    /** @return the settings. */
    public ClientContext context()
    {
        return ctx;
    }

    /**
     * Close the session (best effort, not awaited) and release Aeron resources. Commands still outstanding or queued
     * are abandoned: their listeners are not told. In own-thread mode, callable from any application thread (not from
     * a listener): stops the client thread, which closes the session, and waits for it to end.
     */
    public void close()
    {
        if (null != clientThread && clientThread.isStarted())
        {
            clientThread.close();
            return;
        }
        closeResources();
    }

    void closeResources()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        session.close(clock.nanoTime());
        transport.close();
    }

    public String toString()
    {
        return "SynodClient{" + session + '}';
    }
}
