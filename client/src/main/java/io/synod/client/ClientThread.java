package io.synod.client;

import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Own-thread mode of {@link SynodClient} ({@link ClientContext#useOwnThread(boolean)}), as etcd's {@code node.go}
 * runs {@code RawNode} on a goroutine: an {@link AgentRunner} thread named {@link SynodClient#THREAD_NAME} alone owns
 * the client's state. Application threads copy commands into a {@link ManyToOneRingBuffer}; the client thread drains
 * it while the session's window has room, assigning sequences in queue order, then does the work of
 * {@link SynodClient#poll()}.
 */
final class ClientThread implements Agent
{
    private static final int COMMAND_MSG_TYPE_ID = 1;
    private static final int OFFERED_NS_OFFSET = 0;
    private static final int DEADLINE_NS_OFFSET = Long.BYTES;
    private static final int QUEUED_PAYLOAD_OFFSET = 2 * Long.BYTES;

    private final SynodClient client;
    private final ClientSession session;
    private final NanoClock clock;
    private final int maxPayloadLength;
    private final UnsafeBuffer emptyPayload = new UnsafeBuffer(new byte[0]);
    // A queued command's listener travels beside its record: written by the producer at the record's offset /
    // ALIGNMENT before commit() release-writes the record length, read and cleared by the client thread after read()
    // acquired that length and before the record's space is released, the same publication that carries the payload.
    private final ManyToOneRingBuffer commandQueue;
    private final ResponseListener[] queuedListeners;
    private final MessageHandler queuedCommandHandler = this::onQueuedCommand;
    private AgentRunner runner;
    private Thread thread;
    // Written by the owner of the state, read by application threads: offers are refused once the session is lost
    // or the client is closing.
    private volatile boolean acceptingCommands;

    ClientThread(final SynodClient client, final ClientSession session, final ClientContext ctx)
    {
        this.client = client;
        this.session = session;
        this.clock = ctx.nanoClock();
        this.maxPayloadLength = ctx.maxPayloadLength();
        commandQueue = new ManyToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            ctx.commandQueueCapacity() + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        queuedListeners = new ResponseListener[ctx.commandQueueCapacity() / RecordDescriptor.ALIGNMENT];
    }

    /**
     * Start the client thread once the session is open. Thread.start() hands the state over: everything the opening
     * thread wrote happens-before the client thread runs.
     */
    void start(final ClientContext ctx)
    {
        acceptingCommands = true;
        runner = new AgentRunner(ctx.idleStrategy(), ctx.errorHandler(), null, this);
        thread = AgentRunner.startOnThread(runner);
    }

    /** Any application thread: copy the command into the queue; touches only the queue and its listener slots. */
    long enqueue(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final ResponseListener listener,
        final long deadlineNs)
    {
        if (!acceptingCommands)
        {
            // FAILED is written before acceptingCommands is cleared; a closing client's session may still be OPEN.
            throw new IllegalStateException(
                session.state() == ClientSession.State.FAILED ? session.describeNotOpen() : "client closed");
        }
        ClientSession.checkLength(length, maxPayloadLength);
        final int index = commandQueue.tryClaim(COMMAND_MSG_TYPE_ID, QUEUED_PAYLOAD_OFFSET + length);
        if (index < 0)
        {
            return SynodClient.WINDOW_FULL;
        }
        queuedListeners[index / RecordDescriptor.ALIGNMENT] = listener;
        final UnsafeBuffer queueBuffer = (UnsafeBuffer)commandQueue.buffer();
        queueBuffer.putLong(index + OFFERED_NS_OFFSET, clock.nanoTime());
        queueBuffer.putLong(index + DEADLINE_NS_OFFSET, deadlineNs);
        queueBuffer.putBytes(index + QUEUED_PAYLOAD_OFFSET, buffer, offset, length);
        commandQueue.commit(index);
        return SynodClient.QUEUED;
    }

    /** @return whether {@link #start} ran. */
    boolean isStarted()
    {
        return null != runner;
    }

    /** @return the command queue's capacity in bytes. */
    int queueCapacity()
    {
        return commandQueue.capacity();
    }

    public int doWork()
    {
        int work = 0;
        final int room = session.window() - session.outstanding();
        if (room > 0)
        {
            work += commandQueue.read(queuedCommandHandler, room);
        }
        work += client.doPoll();
        if (acceptingCommands && session.state() != ClientSession.State.OPEN)
        {
            acceptingCommands = false; // publishes the session's failure to offering threads
        }
        return work;
    }

    // One queued command, taken only while the window has room.
    private void onQueuedCommand(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int listenerIndex = index / RecordDescriptor.ALIGNMENT;
        final ResponseListener listener = queuedListeners[listenerIndex];
        queuedListeners[listenerIndex] = null; // before read() releases the record's space to producers
        if (session.state() != ClientSession.State.OPEN)
        {
            if (null != listener)
            {
                // queued before the session was lost
                listener.onResponse(-1, session.failure(), -1, emptyPayload, 0, 0);
            }
            return;
        }
        final long nowNs = clock.nanoTime();
        final long deadlineNs = buffer.getLong(index + DEADLINE_NS_OFFSET);
        if (nowNs >= deadlineNs)
        {
            if (null != listener)
            {
                listener.onResponse(-1, ResponseCode.TIMED_OUT, -1, emptyPayload, 0, 0); // never sent
            }
            return;
        }
        session.offer(buffer, index + QUEUED_PAYLOAD_OFFSET, length - QUEUED_PAYLOAD_OFFSET, listener,
            buffer.getLong(index + OFFERED_NS_OFFSET), deadlineNs, nowNs);
    }

    public void onClose()
    {
        client.closeResources();
    }

    public String roleName()
    {
        return SynodClient.THREAD_NAME;
    }

    /**
     * Any application thread, not the client thread: stop the thread, which closes the session, and wait for it.
     */
    void close()
    {
        if (Thread.currentThread() == thread)
        {
            throw new IllegalStateException("close() called on the " + SynodClient.THREAD_NAME +
                " thread (from a listener): it would wait for itself; close from an application thread");
        }
        acceptingCommands = false;
        CloseHelper.close(runner); // the client thread runs onClose, then ends
        join();
    }

    // AgentRunner.close may return once onClose ran, a moment before the thread has ended.
    private void join()
    {
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    thread.join();
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
}
