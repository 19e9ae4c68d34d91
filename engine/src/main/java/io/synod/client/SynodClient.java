package io.synod.client;

import io.synod.Configuration;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.TimeoutException;
import io.synod.codecs.CommandEncoder;
import io.synod.codecs.ConnectEncoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseDecoder;
import io.synod.codecs.SessionCloseEncoder;
import io.synod.codecs.SessionOpenEncoder;
import io.synod.ClusterMember;
import io.synod.IdleStrategies;
import org.HdrHistogram.Histogram;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteOrder;
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
public final class SynodClient implements AutoCloseable, EgressAdapter.Listener
{
    /** Returned by {@link #offer} when {@link ClientContext#maxOutstanding()} commands are outstanding. */
    public static final long WINDOW_FULL = -1;

    /**
     * Returned by {@link #offer} in own-thread mode when the command was queued: the client thread assigns its
     * sequence and passes it to the listener (sequences start at 1).
     */
    public static final long QUEUED = 0;

    /** Thread name (agent role name) of the client thread in own-thread mode. */
    public static final String THREAD_NAME = "synod-client";

    private static final int COMMAND_MSG_TYPE_ID = 1;
    private static final int OFFERED_NS_OFFSET = 0;
    private static final int DEADLINE_NS_OFFSET = Long.BYTES;
    private static final int QUEUED_PAYLOAD_OFFSET = 2 * Long.BYTES;
    private static final long NO_DEADLINE = PendingCommands.NO_DEADLINE;

    private static final long NO_SESSION = -1; // session ids are slots, from 0
    private static final long CONNECT_REFRESH_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int FRAGMENT_LIMIT = 64;

    private final ClientContext ctx;
    private final NanoClock clock;
    private final IdleStrategy idleStrategy;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final AgentInvoker conductor;
    private final ClusterMember[] members;
    private final ExclusivePublication[] ingress;
    private final Subscription[] egress;
    private final String[] responseChannels;
    private final FragmentAssembler[] assemblers;
    private final boolean[] connectSent;
    private final long[] connectSentNs;
    private final PendingCommands pending;
    private final Histogram latency = new Histogram(1, TimeUnit.SECONDS.toNanos(60), 3);
    private final UnsafeBuffer sendBuffer;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ConnectEncoder connectEncoder = new ConnectEncoder();
    private final SessionOpenEncoder sessionOpenEncoder = new SessionOpenEncoder();
    private final CommandEncoder commandEncoder = new CommandEncoder();
    private final SessionCloseEncoder sessionCloseEncoder = new SessionCloseEncoder();
    private final UnsafeBuffer emptyPayload = new UnsafeBuffer(new byte[0]);

    private int target;
    private final LeaderView leaderView = new LeaderView();
    private long newLeaders;
    private int window;
    private long sessionId = NO_SESSION;
    private ResponseCode sessionFailure;
    private boolean opening;
    private boolean openSent;
    private long openCorrelationId;
    private ResponseCode openRefusal;
    private long oldestSequence = 1;
    private long nextSequence = 1;
    private long nextToSend = 1;
    private long lastHeardNs;
    private long retryAtNs;
    private boolean retryNextMember;
    private long lastGapResendNs;
    private long nowNs;
    private long failovers;
    private long redirects;
    private long resends;
    private long malformed;
    private boolean closed;

    // Own-thread mode; null otherwise. A queued command's listener travels beside its record: written by the
    // producer at the record's offset / ALIGNMENT before commit() release-writes the record length, read and cleared
    // by the client thread after read() acquired that length and before the record's space is released, the same
    // publication that carries the payload bytes.
    private final ManyToOneRingBuffer commandQueue;
    private final ResponseListener[] queuedListeners;
    private final MessageHandler queuedCommandHandler = this::onQueuedCommand;
    private AgentRunner runner;
    private Thread clientThread;
    // Written by the owner of the state, read by application threads in own-thread mode: offers are refused once
    // the session is lost or the client is closing.
    private volatile boolean acceptingCommands;

    private SynodClient(final ClientContext ctx)
    {
        this.ctx = ctx;
        this.clock = ctx.nanoClock();
        this.idleStrategy = ctx.idleStrategy();
        this.members = ctx.clusterMembers();
        final int n = members.length;
        ingress = new ExclusivePublication[n];
        egress = new Subscription[n];
        responseChannels = new String[n];
        assemblers = new FragmentAssembler[n];
        connectSent = new boolean[n];
        connectSentNs = new long[n];
        pending = new PendingCommands(ctx.maxOutstanding());
        window = pending.capacity();
        sendBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            Math.max(4096, ctx.maxPayloadLength() + 128), 64));
        if (ctx.useOwnThread())
        {
            commandQueue = new ManyToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                ctx.commandQueueCapacity() + RingBufferDescriptor.TRAILER_LENGTH, 64)));
            queuedListeners = new ResponseListener[ctx.commandQueueCapacity() / RecordDescriptor.ALIGNMENT];
        }
        else
        {
            commandQueue = null;
            queuedListeners = null;
        }

        MediaDriver driver = null;
        Aeron aeron = null;
        try
        {
            if (ctx.embeddedDriver())
            {
                final IdleStrategy driverIdle =
                    IdleStrategies.of(ctx.idleStrategyName(), ctx.busySpinMinCores(), Configuration.IDLE_STRATEGY_PROP);
                driver = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(ctx.aeronDirectoryName())
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(driverIdle)
                    .termBufferSparseFile(true)
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .errorHandler(ctx.errorHandler()));
            }
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .useConductorAgentInvoker(true)
                .errorHandler(ctx.errorHandler())
                .clientName("synod-client"));
            this.conductor = aeron.conductorAgentInvoker();
            for (int i = 0; i < n; i++)
            {
                ingress[i] = aeron.addExclusivePublication(
                    ClusterMember.udpChannel(members[i].ingressEndpoint(), ctx.termLength()), ctx.ingressStreamId());
                egress[i] = aeron.addSubscription(ctx.egressChannel(), ctx.egressStreamId() + i);
                assemblers[i] = new FragmentAssembler(new EgressAdapter(i, this));
            }
            final long deadlineNs = clock.nanoTime() + ctx.connectTimeoutNs();
            for (int i = 0; i < n; i++)
            {
                while ((responseChannels[i] = egress[i].tryResolveChannelEndpointPort()) == null)
                {
                    if (clock.nanoTime() > deadlineNs)
                    {
                        throw new TimeoutException("egress channel " + ctx.egressChannel() + " did not bind");
                    }
                    idleStrategy.idle(conductor.invoke());
                }
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(aeron, driver);
            throw ex;
        }
        this.driver = driver;
        this.aeron = aeron;
        int highest = 0;
        for (int i = 1; i < n; i++)
        {
            if (members[i].id() > members[highest].id())
            {
                highest = i; // higher ids win elections: the likeliest leader
            }
        }
        target = highest;
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
            client.acceptingCommands = true;
            if (ctx.useOwnThread())
            {
                client.startClientThread();
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
        nowNs = clock.nanoTime();
        opening = true;
        openSent = false;
        openCorrelationId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        lastHeardNs = nowNs;
        final long deadlineNs = nowNs + ctx.connectTimeoutNs();
        while (sessionId == NO_SESSION)
        {
            if (null != openRefusal)
            {
                throw new IllegalStateException("the cluster refused the session: " + openRefusal +
                    " (it holds its maximum of sessions; close idle ones or raise maxSessions)");
            }
            if (clock.nanoTime() > deadlineNs)
            {
                throw new TimeoutException("no session opened within " +
                    TimeUnit.NANOSECONDS.toMillis(ctx.connectTimeoutNs()) + " ms; members " + ctx.members() +
                    ", last tried node " + members[target].id() + ", failovers " + failovers);
            }
            idleStrategy.idle(doPoll());
        }
    }

    private void startClientThread()
    {
        runner = new AgentRunner(idleStrategy, ctx.errorHandler(), null, new ClientAgent());
        // Thread.start() hands the state over: everything this thread wrote happens-before the client thread runs.
        clientThread = AgentRunner.startOnThread(runner);
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
        if (null != commandQueue)
        {
            return enqueue(buffer, offset, length, listener, deadlineNs);
        }
        checkSession();
        checkLength(length);
        if (nextSequence - oldestSequence >= window)
        {
            return WINDOW_FULL;
        }
        return assignAndSend(buffer, offset, length, listener, clock.nanoTime(), deadlineNs);
    }

    private void checkLength(final int length)
    {
        if (length > ctx.maxPayloadLength() || length < 0)
        {
            throw new IllegalArgumentException(
                "command length " + length + " outside [0, maxPayloadLength " + ctx.maxPayloadLength() + "]");
        }
    }

    private long assignAndSend(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final ResponseListener listener,
        final long offeredNs,
        final long deadlineNs)
    {
        nowNs = clock.nanoTime();
        if (nextSequence == oldestSequence)
        {
            lastHeardNs = nowNs; // the response timeout runs from the first outstanding request
        }
        final long sequence = nextSequence++;
        pending.put(sequence, buffer, offset, length, listener, offeredNs, deadlineNs);
        sendPending();
        return sequence;
    }

    // Any application thread, own-thread mode: touches only the queue and its listener slots.
    private long enqueue(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final ResponseListener listener,
        final long deadlineNs)
    {
        if (!acceptingCommands)
        {
            throw new IllegalStateException(refusal());
        }
        checkLength(length);
        final int index = commandQueue.tryClaim(COMMAND_MSG_TYPE_ID, QUEUED_PAYLOAD_OFFSET + length);
        if (index < 0)
        {
            return WINDOW_FULL;
        }
        queuedListeners[index / RecordDescriptor.ALIGNMENT] = listener;
        final UnsafeBuffer queueBuffer = (UnsafeBuffer)commandQueue.buffer();
        queueBuffer.putLong(index + OFFERED_NS_OFFSET, clock.nanoTime());
        queueBuffer.putLong(index + DEADLINE_NS_OFFSET, deadlineNs);
        queueBuffer.putBytes(index + QUEUED_PAYLOAD_OFFSET, buffer, offset, length);
        commandQueue.commit(index);
        return QUEUED;
    }

    // Client thread: one queued command, taken only while the window has room (see ClientAgent.doWork).
    private void onQueuedCommand(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int listenerIndex = index / RecordDescriptor.ALIGNMENT;
        final ResponseListener listener = queuedListeners[listenerIndex];
        queuedListeners[listenerIndex] = null; // before read() releases the record's space to producers
        if (sessionId == NO_SESSION)
        {
            if (null != listener)
            {
                listener.onResponse(-1, sessionFailure, -1, emptyPayload, 0, 0); // queued before the session was lost
            }
            return;
        }
        final long deadlineNs = buffer.getLong(index + DEADLINE_NS_OFFSET);
        if (clock.nanoTime() >= deadlineNs)
        {
            if (null != listener)
            {
                listener.onResponse(-1, ResponseCode.TIMED_OUT, -1, emptyPayload, 0, 0); // never sent
            }
            return;
        }
        assignAndSend(buffer, index + QUEUED_PAYLOAD_OFFSET, length - QUEUED_PAYLOAD_OFFSET, listener,
            buffer.getLong(index + OFFERED_NS_OFFSET), deadlineNs);
    }

    private String refusal()
    {
        return closed || !acceptingCommands && null == sessionFailure ? "client closed" : "session lost: " + sessionFailure;
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
                throw new TimeoutException(null != commandQueue ?
                    "command queue of " + commandQueue.capacity() + " bytes stayed full" :
                    "window of " + window + " commands stayed full");
            }
            if (null != commandQueue)
            {
                pause(++attempts);
            }
            else
            {
                idleStrategy.idle(poll());
            }
        }
        return handle;
    }

    // An application thread waiting on the client thread, own-thread mode: spin, yield, then park up to 100 us. Not
    // the context's idle strategy: that instance belongs to the client thread.
    private static void pause(final int attempts)
    {
        if (attempts < 100)
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
            if (null != commandQueue)
            {
                pause(++attempts);
            }
            else
            {
                idleStrategy.idle(poll());
            }
        }
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
        if (null != commandQueue)
        {
            throw new IllegalStateException("poll() is not for own-thread mode (ClientContext.useOwnThread): the " +
                THREAD_NAME + " thread polls the client; offer commands and take outcomes in listeners or handles");
        }
        return doPoll();
    }

    private int doPoll()
    {
        if (closed)
        {
            return 0;
        }
        int work = conductor.invoke();
        nowNs = clock.nanoTime();
        for (int i = 0; i < egress.length; i++)
        {
            work += egress[i].poll(assemblers[i], FRAGMENT_LIMIT);
        }
        for (int i = 0; i < ingress.length; i++)
        {
            if (ingress[i].isConnected())
            {
                if (!connectSent[i] || nowNs - connectSentNs[i] > CONNECT_REFRESH_NS)
                {
                    sendConnect(i);
                }
            }
            else
            {
                connectSent[i] = false;
            }
        }
        // Measured from the last progress (a completion, the session opening, a failover), not from any message:
        // redirects bouncing between nodes with stale views, or BUSY for ever, also end in a failover.
        if (hasOutstanding() && nowNs - lastHeardNs > ctx.responseTimeoutNs())
        {
            failover((target + 1) % members.length);
            work++;
        }
        if (nowNs >= pending.nextDeadlineNs())
        {
            work += pending.giveUp(oldestSequence, nextSequence, nowNs);
        }
        if (retryAtNs != 0 && nowNs >= retryAtNs)
        {
            retryAtNs = 0;
            if (retryNextMember)
            {
                retryNextMember = false;
                failover((target + 1) % members.length);
            }
            work++;
        }
        work += sendPending();
        return work;
    }

    private boolean hasOutstanding()
    {
        return opening || nextSequence != oldestSequence;
    }

    private void failover(final int memberIndex)
    {
        failovers++;
        target = memberIndex;
        lastHeardNs = nowNs;
        connectSent[memberIndex] = false; // it may have restarted and forgotten us
        openSent = false;
        if (nextToSend != oldestSequence)
        {
            resends += nextToSend - oldestSequence;
        }
        nextToSend = oldestSequence;
        retryAtNs = 0;
        retryNextMember = false;
    }

    private int sendPending()
    {
        if (retryAtNs != 0 || !connectSent[target])
        {
            return 0;
        }
        final ExclusivePublication publication = ingress[target];
        int sent = 0;
        if (opening)
        {
            if (!openSent)
            {
                sessionOpenEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                    .correlationId(openCorrelationId)
                    .window(pending.capacity());
                if (publication.offer(sendBuffer, 0,
                    MessageHeaderEncoder.ENCODED_LENGTH + sessionOpenEncoder.encodedLength()) > 0)
                {
                    openSent = true;
                    sent++;
                }
            }
            return sent;
        }
        while (nextToSend < nextSequence)
        {
            final long sequence = nextToSend;
            commandEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .sessionId(sessionId)
                .sequence(sequence)
                .putPayload(pending.payload(sequence), 0, pending.length(sequence));
            if (publication.offer(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + commandEncoder.encodedLength()) < 0)
            {
                break; // back-pressured or not connected: the next poll tries again
            }
            nextToSend++;
            sent++;
        }
        return sent;
    }

    private void sendConnect(final int memberIndex)
    {
        final String channel = responseChannels[memberIndex];
        connectEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .correlationId(nowNs)
            .responseStreamId(ctx.egressStreamId() + memberIndex)
            .responseChannel(channel);
        if (ingress[memberIndex].offer(sendBuffer, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + connectEncoder.encodedLength()) > 0)
        {
            connectSent[memberIndex] = true;
            connectSentNs[memberIndex] = nowNs;
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onResponse(final int memberIndex, final ResponseDecoder response, final DirectBuffer payload)
    {
        final ResponseCode code = response.code();
        final long sequence = response.sequence();
        if (code == ResponseCode.TOO_MANY_SESSIONS)
        {
            if (opening && sequence == openCorrelationId)
            {
                openRefusal = code; // the cluster is full: trying other nodes would not help
            }
            return;
        }
        if (code == ResponseCode.SESSION_OPENED)
        {
            if (opening && sequence == openCorrelationId)
            {
                opening = false;
                sessionId = response.sessionId();
                if (payload.capacity() >= Integer.BYTES)
                {
                    // The session keeps the responses of this many sequences: never have more outstanding, or a
                    // retry after a failover could find its response gone (DUPLICATE).
                    window = Math.max(1, Math.min(pending.capacity(), payload.getInt(0, ByteOrder.LITTLE_ENDIAN)));
                }
                target = memberIndex;
                lastHeardNs = nowNs;
            }
            return;
        }
        if (sessionId == NO_SESSION || response.sessionId() != sessionId)
        {
            return; // another session's, or an old one's
        }
        switch (code)
        {
            case OK:
            case DUPLICATE:
            case REJECTED: // final for its sequence, which the log used up: the session goes on
                if (sequence >= oldestSequence && sequence < nextSequence)
                {
                    lastHeardNs = nowNs; // progress: the failover timer runs from the last completion
                }
                complete(sequence, code, response.slot(), payload, payload.capacity());
                break;

            case SEQUENCE_GAP:
                // An earlier command is missing at the leader (dropped with an old leader, or refused BUSY): resend
                // from the oldest unanswered, at most once per retry delay as the gaps of one round arrive together.
                if (sequence >= oldestSequence && nowNs - lastGapResendNs > ctx.retryDelayNs())
                {
                    lastGapResendNs = nowNs;
                    resends += nextToSend - oldestSequence;
                    nextToSend = oldestSequence;
                }
                break;

            case BUSY:
                if (sequence >= oldestSequence && sequence < nextToSend)
                {
                    resends += nextToSend - sequence;
                    nextToSend = sequence;
                    retryAtNs = nowNs + ctx.retryDelayNs();
                }
                break;

            case UNKNOWN_SESSION:
            case TOO_LARGE:
            case MALFORMED:
                if (sequence >= oldestSequence && sequence < nextSequence)
                {
                    failSession(code);
                }
                break;

            default:
                break;
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onRedirect(final int memberIndex, final int leaderNodeId)
    {
        if (memberIndex != target || !hasOutstanding())
        {
            return; // a stale redirect from a node we already left
        }
        redirects++;
        final int leaderIndex = indexOf(leaderNodeId);
        if (leaderIndex >= 0 && leaderIndex != target)
        {
            failover(leaderIndex);
        }
        else if (retryAtNs == 0)
        {
            retryAtNs = nowNs + ctx.retryDelayNs(); // no leader known yet: an election is under way
            retryNextMember = true;
        }
    }

    /**
     * Follows a new leader at once, if the event is news by ballot ({@link LeaderView}), resending the window.
     */
    public void onNewLeader(final int memberIndex, final int leaderNodeId, final long ballot)
    {
        final int leaderIndex = indexOf(leaderNodeId);
        if (leaderIndex < 0)
        {
            return;
        }
        if (!leaderView.onNewLeader(memberIndex == leaderIndex, ballot))
        {
            return; // stale
        }
        if (leaderIndex != target)
        {
            newLeaders++;
            failover(leaderIndex); // resends the window at once: the session's record answers what was applied
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onMalformed(final int memberIndex, final String reason)
    {
        malformed++;
        ctx.errorHandler().onError(new IllegalArgumentException("from node " + members[memberIndex].id() + ": " + reason));
    }

    private int indexOf(final int nodeId)
    {
        for (int i = 0; i < members.length; i++)
        {
            if (members[i].id() == nodeId)
            {
                return i;
            }
        }
        return -1;
    }

    private void complete(
        final long sequence, final ResponseCode code, final long slot, final DirectBuffer payload, final int length)
    {
        if (sequence < oldestSequence || sequence >= nextSequence)
        {
            return; // answered already (a retry's second answer)
        }
        // The session applies in sequence order, so everything before an applied sequence was applied too; their
        // responses were lost with a failover.
        while (oldestSequence <= sequence)
        {
            final long s = oldestSequence++;
            if (nextToSend < oldestSequence)
            {
                nextToSend = oldestSequence;
            }
            latency.recordValue(Math.min(Math.max(1, nowNs - pending.offeredNs(s)), latency.getHighestTrackableValue()));
            final ResponseListener listener = pending.remove(s);
            if (listener != null)
            {
                if (s == sequence)
                {
                    listener.onResponse(s, code, slot, payload, 0, length);
                }
                else
                {
                    listener.onResponse(s, ResponseCode.DUPLICATE, -1, emptyPayload, 0, 0);
                }
            }
        }
    }

    private void failSession(final ResponseCode code)
    {
        sessionFailure = code;
        sessionId = NO_SESSION;
        acceptingCommands = false; // publishes sessionFailure to offering threads
        while (oldestSequence < nextSequence)
        {
            final long s = oldestSequence++;
            final ResponseListener listener = pending.remove(s);
            if (listener != null)
            {
                listener.onResponse(s, code, -1, emptyPayload, 0, 0);
            }
        }
        nextToSend = oldestSequence;
        ctx.errorHandler().onError(new IllegalStateException("session lost: " + code));
    }

    private void checkSession()
    {
        if (sessionId == NO_SESSION)
        {
            throw new IllegalStateException(closed ? "client closed" : "session lost: " + sessionFailure);
        }
    }

    /** @return the session id (its SESSION_OPEN slot), -1 if none. */
    public long sessionId()
    {
        return sessionId;
    }

    /** @return commands sent and not yet answered. */
    public int outstanding()
    {
        return (int)(nextSequence - oldestSequence);
    }

    /** @return the node the client sends to. */
    public int targetNodeId()
    {
        return members[target].id();
    }

    /** @return times the client moved to another node. */
    public long failovers()
    {
        return failovers;
    }

    /**
     * @return times the client moved to another node because a NewLeader event named it (counted in failovers too).
     */
    public long newLeaders()
    {
        return newLeaders;
    }

    /**
     * @return commands whose deadline passed before their outcome (told TIMED_OUT while outstanding).
     */
    public long commandsTimedOut()
    {
        return pending.commandsGivenUp();
    }

    /** @return redirects followed or waited on. */
    public long redirects()
    {
        return redirects;
    }

    /** @return commands sent again. */
    public long resends()
    {
        return resends;
    }

    /** @return malformed messages received. */
    public long malformedMessages()
    {
        return malformed;
    }

    /** @return end-to-end latency of every answered command (offer to response), in ns; the live histogram. */
    public Histogram latencyHistogram()
    {
        return latency;
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
        if (null != runner)
        {
            if (Thread.currentThread() == clientThread)
            {
                throw new IllegalStateException("close() called on the " + THREAD_NAME +
                    " thread (from a listener): it would wait for itself; close from an application thread");
            }
            acceptingCommands = false;
            CloseHelper.close(runner); // the client thread runs ClientAgent.onClose, then ends
            joinClientThread();
            return;
        }
        closeResources();
    }

    // AgentRunner.close may return once onClose ran, a moment before the thread has ended.
    private void joinClientThread()
    {
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    clientThread.join();
                    break;
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeResources()
    {
        if (closed)
        {
            return;
        }
        if (sessionId != NO_SESSION && ingress[target] != null)
        {
            sessionCloseEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                .sessionId(sessionId)
                .sequence(nextSequence);
            ingress[target].offer(sendBuffer, 0,
                MessageHeaderEncoder.ENCODED_LENGTH + sessionCloseEncoder.encodedLength());
        }
        closed = true;
        sessionId = NO_SESSION;
        acceptingCommands = false;
        CloseHelper.quietCloseAll(aeron, driver);
    }

    /**
     * The client thread of own-thread mode: drains the command queue while the window has room, then does the work
     * of {@link #poll()}.
     */
    private final class ClientAgent implements Agent
    {
        public int doWork()
        {
            int work = 0;
            final int room = window - (int)(nextSequence - oldestSequence);
            if (room > 0)
            {
                work += commandQueue.read(queuedCommandHandler, room);
            }
            return work + doPoll();
        }

        public void onClose()
        {
            closeResources();
        }

        public String roleName()
        {
            return THREAD_NAME;
        }
    }

    public String toString()
    {
        return "SynodClient{session=" + sessionId + ", target=" + members[target].id() + ", outstanding=" +
            outstanding() + ", oldest=" + oldestSequence + ", next=" + nextSequence + ", nextToSend=" + nextToSend +
            ", failovers=" + failovers + ", redirects=" + redirects + ", resends=" + resends + '}';
    }
}
