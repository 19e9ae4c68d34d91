package io.synod.sim;

import io.synod.codecs.CommandEncoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.RedirectDecoder;
import io.synod.codecs.ResponseCode;
import io.synod.codecs.ResponseDecoder;
import io.synod.codecs.SessionOpenEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Random;

/**
 * A simulated client: opens a session, then sends numbered commands one at a time. On silence it retries the same
 * request (same sequence) at another node; it follows redirects. Every acknowledgement is checked by the oracle.
 */
final class SimClient
{
    private enum State
    {
        OPENING, READY
    }

    private final int clientNo;
    private final int address;
    private final int nodeCount;
    private final Random random;
    private final SimNetwork network;
    private final Oracle oracle;
    private final long timeoutNs;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
    private final UnsafeBuffer responsePayload = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SessionOpenEncoder sessionOpen = new SessionOpenEncoder();
    private final CommandEncoder command = new CommandEncoder();
    private final ResponseDecoder response = new ResponseDecoder();
    private final RedirectDecoder redirect = new RedirectDecoder();

    private final int window;
    private final java.util.TreeMap<Long, Long> outstanding = new java.util.TreeMap<>();
    private State state = State.OPENING;
    private int target;
    private long correlationId;
    private long sessionId;
    private long nextSequence = 1;
    private long sentAtNs = Long.MIN_VALUE;
    private long retryAtNs;
    private boolean sending = true;
    long acknowledged;

    SimClient(
        final int clientNo,
        final int nodeCount,
        final Random random,
        final SimNetwork network,
        final Oracle oracle,
        final long timeoutNs,
        final int window)
    {
        this.window = window;
        this.clientNo = clientNo;
        this.address = SimNetwork.CLIENT_BASE + clientNo;
        this.nodeCount = nodeCount;
        this.random = random;
        this.network = network;
        this.oracle = oracle;
        this.timeoutNs = timeoutNs;
        this.target = random.nextInt(nodeCount);
        this.correlationId = ((long)clientNo << 32) | 1;
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
        return state == State.READY && outstanding.isEmpty();
    }

    void onTick(final long nowNs)
    {
        if (state == State.OPENING)
        {
            if (nowNs >= retryAtNs && timedOut(nowNs))
            {
                if (sentAtNs != Long.MIN_VALUE)
                {
                    target = (target + 1) % nodeCount;
                }
                sendOpen(nowNs);
            }
            return;
        }
        // The window spans sequences, not a count: the session keeps the responses of its last window sequences.
        while (sending && (outstanding.isEmpty() || nextSequence - outstanding.firstKey() < window))
        {
            final long sequence = nextSequence++;
            final long commandId = ((long)clientNo << 32) | sequence;
            outstanding.put(sequence, commandId);
            oracle.onProposed(commandId);
            sendCommand(sequence, commandId, nowNs);
        }
        if (!outstanding.isEmpty() && nowNs >= retryAtNs && timedOut(nowNs))
        {
            if (sentAtNs != Long.MIN_VALUE)
            {
                target = (target + 1) % nodeCount; // silence: try the next node
            }
            resendAll(nowNs);
        }
    }

    private void resendAll(final long nowNs)
    {
        for (final java.util.Map.Entry<Long, Long> command : outstanding.entrySet())
        {
            sendCommand(command.getKey(), command.getValue(), nowNs);
        }
    }

    void onMessage(final byte[] bytes, final long nowNs)
    {
        final UnsafeBuffer in = new UnsafeBuffer(bytes);
        headerDecoder.wrap(in, 0);
        final int at = MessageHeaderDecoder.ENCODED_LENGTH;
        switch (headerDecoder.templateId())
        {
            case ResponseDecoder.TEMPLATE_ID:
                response.wrap(in, at, headerDecoder.blockLength(), headerDecoder.version());
                onResponse(nowNs);
                break;

            case RedirectDecoder.TEMPLATE_ID:
                redirect.wrap(in, at, headerDecoder.blockLength(), headerDecoder.version());
                onRedirect(nowNs);
                break;

            default:
                throw new AssertionError("client " + clientNo + " got unexpected template " + headerDecoder.templateId());
        }
    }

    private void onResponse(final long nowNs)
    {
        final ResponseCode code = response.code();
        if (state == State.OPENING)
        {
            if (code == ResponseCode.SESSION_OPENED && response.sequence() == correlationId)
            {
                sessionId = response.sessionId();
                state = State.READY;
                sentAtNs = Long.MIN_VALUE;
            }
            return;
        }
        if (code == ResponseCode.SESSION_OPENED)
        {
            return; // a duplicate of the answer that opened the session
        }
        final long sequence = response.sequence();
        final Long commandId = outstanding.get(sequence);
        if (response.sessionId() != sessionId || commandId == null)
        {
            return; // a late or duplicated answer to an earlier request
        }
        switch (code)
        {
            case OK:
                if (response.payloadLength() != 8)
                {
                    throw new AssertionError("client " + clientNo + " response of " + response.payloadLength() +
                        " bytes for " + Oracle.describe(commandId));
                }
                response.wrapPayload(responsePayload);
                if (responsePayload.getLong(0) != RecordingStateMachine.expectedResponse(commandId))
                {
                    throw new AssertionError("client " + clientNo + " got another command's response for " +
                        Oracle.describe(commandId));
                }
                oracle.onAcknowledged(commandId, response.slot());
                acknowledged(sequence);
                break;

            case DUPLICATE:
                // The session keeps the responses of the client's whole window (issue 8 case 6): a retry of an
                // outstanding command gets its own response, so DUPLICATE here means a response was lost.
                throw new AssertionError("client " + clientNo + " got DUPLICATE without its response for " +
                    Oracle.describe(commandId) + " in session " + sessionId + " (window " + window + ")");

            case SEQUENCE_GAP:
            case BUSY:
                // An earlier command is missing (lost or reordered), or the leader is full: resend all, in order.
                retryAtNs = nowNs + (code == ResponseCode.BUSY ? timeoutNs / 4 : 0);
                sentAtNs = Long.MIN_VALUE;
                break;

            default:
                throw new AssertionError("client " + clientNo + " got " + code + " for " +
                    Oracle.describe(commandId) + " in session " + sessionId);
        }
    }

    private boolean timedOut(final long nowNs)
    {
        return sentAtNs == Long.MIN_VALUE || nowNs - sentAtNs >= timeoutNs;
    }

    private void acknowledged(final long sequence)
    {
        acknowledged++;
        outstanding.remove(sequence);
    }

    private void onRedirect(final long nowNs)
    {
        if (state == State.OPENING ? redirect.sequence() != correlationId : !outstanding.containsKey(redirect.sequence()))
        {
            return;
        }
        final int leader = redirect.leaderNodeId();
        if (leader >= 0 && leader < nodeCount && leader == target)
        {
            // Another command of the window redirected here already: keep going there. (Before, this picked a random
            // node, and a client with a window of two wandered among followers for many timeouts: the long-partition
            // runs' availability check found it, seed 10469.)
            return;
        }
        if (leader >= 0 && leader < nodeCount)
        {
            target = leader;
            retryAtNs = nowNs;
        }
        else
        {
            target = random.nextInt(nodeCount);
            retryAtNs = nowNs + timeoutNs / 4;
        }
        sentAtNs = Long.MIN_VALUE;
    }

    private void sendOpen(final long nowNs)
    {
        correlationId++;
        sessionOpen.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(correlationId).window(window);
        network.send(address, target, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + sessionOpen.encodedLength());
        sentAtNs = nowNs;
    }

    private void sendCommand(final long sequence, final long commandId, final long nowNs)
    {
        payload.putLong(0, commandId);
        command.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(sessionId)
            .sequence(sequence)
            .putPayload(payload, 0, 8);
        network.send(address, target, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + command.encodedLength());
        sentAtNs = nowNs;
    }

    public String toString()
    {
        return "SimClient{no=" + clientNo + ", state=" + state + ", target=" + target + ", session=" + sessionId +
            ", window=" + window + ", nextSequence=" + nextSequence + ", acknowledged=" + acknowledged +
            ", outstanding=" + outstanding.keySet() + '}';
    }
}
