package io.synod.sim;

import io.synod.client.ResponseListener;
import io.synod.client.ClientSession;
import io.synod.client.ClientTransport;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.client.ResponseCode;
import io.synod.codecs.ResponseDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Random;

/**
 * A simulated client: the real {@link ClientSession} (the protocol {@code SynodClient} runs over Aeron) over the
 * simulated network and clock. It opens a session, then keeps its window full of numbered commands; failover on
 * silence, redirects, BUSY and SEQUENCE_GAP are the session's own rules. This adapter only makes the commands,
 * carries bytes, and has the oracle check every acknowledgement.
 */
final class SimClient implements ClientTransport, ResponseListener
{
    private static final long NONE = -1;

    private final int clientNo;
    private final int address;
    private final int firstTarget;
    private final long correlationId;
    private final SimNetwork network;
    private final Oracle oracle;
    private final ClientSession session;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
    private final UnsafeBuffer in = new UnsafeBuffer(0, 0);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ResponseDecoder response = new ResponseDecoder();
    private long busyAnswers;
    private long sequenceGapAnswers;
    private boolean sending = true;
    // The command told DUPLICATE last during one delivery, NONE if the last told was another outcome.
    private long lastToldDuplicate = NONE;
    long acknowledged;

    /**
     * @param window most commands outstanding; the session's window is the next power of two.
     */
    SimClient(
        final int clientNo,
        final int nodeCount,
        final Random random,
        final SimNetwork network,
        final Oracle oracle,
        final long timeoutNs,
        final int window)
    {
        this.clientNo = clientNo;
        this.address = SimNetwork.CLIENT_BASE + clientNo;
        this.network = network;
        this.oracle = oracle;
        this.firstTarget = random.nextInt(nodeCount);
        this.correlationId = ((long)clientNo << 32) | 1;
        final int[] memberIds = new int[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            memberIds[i] = i; // node ids are the network's addresses and the session's member indexes alike
        }
        final int powerOfTwo = Integer.highestOneBit(window) == window ? window : Integer.highestOneBit(window) << 1;
        session = new ClientSession(memberIds, powerOfTwo, 64, timeoutNs, timeoutNs / 4, this, this::onSessionError);
    }

    int address()
    {
        return address;
    }

    void stopSendingNew()
    {
        sending = false;
    }

    boolean isIdle()
    {
        return session.state() == ClientSession.State.OPEN && session.outstanding() == 0;
    }

    void onTick(final long nowNs)
    {
        if (session.state() == ClientSession.State.NEW)
        {
            session.open(correlationId, firstTarget, nowNs);
        }
        // The window spans sequences, not a count: the session keeps the responses of its last window sequences.
        while (sending && session.state() == ClientSession.State.OPEN && session.outstanding() < session.window())
        {
            final long commandId = commandId(session.nextSequence());
            oracle.onProposed(commandId);
            payload.putLong(0, commandId);
            session.offer(payload, 0, 8, this, nowNs, ClientSession.NO_DEADLINE, nowNs);
        }
        session.doWork(nowNs);
    }

    void onMessage(final int fromNodeId, final byte[] bytes, final long nowNs)
    {
        in.wrap(bytes);
        countRetryAnswers();
        lastToldDuplicate = NONE;
        session.onEgress(fromNodeId, in, 0, bytes.length, nowNs);
        if (lastToldDuplicate != NONE)
        {
            // An answer for a sequence tells its earlier commands DUPLICATE (applied; answers lost) before its own
            // outcome, so a DUPLICATE told last was the node's own answer. The session keeps the responses of the
            // client's whole window (issue 8 case 6): a retry of an outstanding command gets its own response.
            throw new AssertionError("client " + clientNo + " got DUPLICATE without its response for " +
                Oracle.describe(lastToldDuplicate) + " (" + session + ")");
        }
    }

    public boolean send(final int memberIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        network.send(address, memberIndex, buffer, offset, length);
        return true; // the simulated network loses messages, it never pushes back
    }

    public void onResponse(
        final long sequence,
        final ResponseCode code,
        final long slot,
        final DirectBuffer responsePayload,
        final int offset,
        final int length)
    {
        final long commandId = commandId(sequence);
        lastToldDuplicate = NONE;
        switch (code)
        {
            case OK:
                if (length != 8)
                {
                    throw new AssertionError("client " + clientNo + " response of " + length + " bytes for " +
                        Oracle.describe(commandId));
                }
                if (responsePayload.getLong(offset) != RecordingStateMachine.expectedResponse(commandId))
                {
                    throw new AssertionError("client " + clientNo + " got another command's response for " +
                        Oracle.describe(commandId));
                }
                oracle.onAcknowledged(commandId, slot);
                acknowledged++;
                break;

            case DUPLICATE:
                oracle.onAcknowledged(commandId, -1); // applied, the oracle checks; its answer was lost
                acknowledged++;
                lastToldDuplicate = commandId;
                break;

            default:
                throw new AssertionError("client " + clientNo + " got " + code + " for " + Oracle.describe(commandId) +
                    " (" + session + ")");
        }
    }

    // What the session retries by itself, counted here to show the runs exercise those rules.
    private void countRetryAnswers()
    {
        header.wrap(in, 0);
        if (header.templateId() == ResponseDecoder.TEMPLATE_ID)
        {
            response.wrapAndApplyHeader(in, 0, header);
            busyAnswers += response.code() == io.synod.codecs.ResponseCode.BUSY ? 1 : 0;
            sequenceGapAnswers += response.code() == io.synod.codecs.ResponseCode.SEQUENCE_GAP ? 1 : 0;
        }
    }

    void addTo(final SimulationOutcome outcome)
    {
        outcome.clientFailovers += session.failovers();
        outcome.clientRedirects += session.redirects();
        outcome.clientResends += session.resends();
        outcome.busyAnswers += busyAnswers;
        outcome.sequenceGapAnswers += sequenceGapAnswers;
    }

    private void onSessionError(final Throwable error)
    {
        throw new AssertionError("client " + clientNo + ": " + error.getMessage() + " (" + session + ")", error);
    }

    private long commandId(final long sequence)
    {
        return ((long)clientNo << 32) | sequence;
    }

    public String toString()
    {
        return "SimClient{no=" + clientNo + ", " + session + ", window=" + session.window() + ", acknowledged=" +
            acknowledged + '}';
    }
}
