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

    private State state = State.OPENING;
    private int target;
    private long correlationId;
    private long sessionId;
    private long sequence;
    private long sentAtNs = Long.MIN_VALUE;
    private long retryAtNs;
    private boolean sending = true;
    long acknowledged;
    long outstandingCommandId = -1;

    SimClient(
        final int clientNo,
        final int nodeCount,
        final Random random,
        final SimNetwork network,
        final Oracle oracle,
        final long timeoutNs)
    {
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
        return state == State.READY && outstandingCommandId == -1;
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
        if (outstandingCommandId == -1)
        {
            if (sending)
            {
                sequence++;
                outstandingCommandId = ((long)clientNo << 32) | sequence;
                oracle.onProposed(outstandingCommandId);
                sendCommand(nowNs);
            }
        }
        else if (nowNs >= retryAtNs && timedOut(nowNs))
        {
            if (sentAtNs != Long.MIN_VALUE)
            {
                target = (target + 1) % nodeCount; // silence: try the next node
            }
            sendCommand(nowNs);
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
        if (response.sessionId() != sessionId || response.sequence() != sequence || outstandingCommandId == -1)
        {
            return; // a late or duplicated answer to an earlier request
        }
        switch (code)
        {
            case OK:
                if (response.payloadLength() != 8)
                {
                    throw new AssertionError("client " + clientNo + " response of " + response.payloadLength() +
                        " bytes for " + Oracle.describe(outstandingCommandId));
                }
                response.wrapPayload(responsePayload);
                final long value = responsePayload.getLong(0);
                if (value != RecordingStateMachine.expectedResponse(outstandingCommandId))
                {
                    throw new AssertionError("client " + clientNo + " got another command's response for " +
                        Oracle.describe(outstandingCommandId));
                }
                oracle.onAcknowledged(outstandingCommandId, response.slot());
                acknowledged();
                break;

            case DUPLICATE:
                oracle.onAcknowledged(outstandingCommandId, -1);
                acknowledged();
                break;

            case BUSY:
                retryAtNs = nowNs + timeoutNs / 4;
                sentAtNs = Long.MIN_VALUE;
                break;

            default:
                throw new AssertionError("client " + clientNo + " got " + code + " for " +
                    Oracle.describe(outstandingCommandId) + " in session " + sessionId);
        }
    }

    private boolean timedOut(final long nowNs)
    {
        return sentAtNs == Long.MIN_VALUE || nowNs - sentAtNs >= timeoutNs;
    }

    private void acknowledged()
    {
        acknowledged++;
        outstandingCommandId = -1;
    }

    private void onRedirect(final long nowNs)
    {
        if (redirect.sequence() != (state == State.OPENING ? correlationId : sequence))
        {
            return;
        }
        final int leader = redirect.leaderNodeId();
        if (leader >= 0 && leader < nodeCount && leader != target)
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
        sessionOpen.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(correlationId);
        network.send(address, target, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + sessionOpen.encodedLength());
        sentAtNs = nowNs;
    }

    private void sendCommand(final long nowNs)
    {
        payload.putLong(0, outstandingCommandId);
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
            ", sequence=" + sequence + ", acknowledged=" + acknowledged + ", outstanding=" +
            (outstandingCommandId == -1 ? "none" : Oracle.describe(outstandingCommandId)) + '}';
    }
}
