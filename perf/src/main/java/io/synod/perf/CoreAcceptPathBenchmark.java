package io.synod.perf;

import io.synod.ResponseWriter;
import io.synod.StateMachine;
import io.synod.codecs.CommandEncoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.SessionOpenEncoder;
import io.synod.core.CoreConfig;
import io.synod.core.Outbox;
import io.synod.core.PaxosNode;
import io.synod.Role;
import io.synod.log.InMemoryPaxosLog;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The core's hot path on one thread: a leader turns a batch of client commands into one Accept, an acceptor takes it
 * and answers, the leader counts the majority, commits and applies. Real cores, in-memory logs, no network: the
 * message bytes are handed over in process. One operation is one command.
 * <p>
 * Run: {@code java -jar perf/target/synod-benchmarks.jar CoreAcceptPath -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class CoreAcceptPathBenchmark
{
    private static final int LEADER = 2;
    private static final int ACCEPTOR = 0;
    private static final int BATCH = 64;

    @Param({"32"})
    int payloadLength;

    private final ExpandableArrayBuffer toLeader = new ExpandableArrayBuffer(1 << 20);
    private final ExpandableArrayBuffer toAcceptor = new ExpandableArrayBuffer(1 << 20);
    private int toLeaderLength;
    private int toAcceptorLength;
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[1024]);
    private int commandLength;
    private int sequenceOffset;
    private long sequence;
    private long appliedCommands;
    private PaxosNode leader;
    private PaxosNode acceptor;
    private InMemoryPaxosLog leaderLog;
    private InMemoryPaxosLog acceptorLog;

    @Setup(Level.Trial)
    public void setUp()
    {
        leaderLog = new InMemoryPaxosLog(4096, 64 << 20, true); // voting: a cluster already formed
        acceptorLog = new InMemoryPaxosLog(4096, 64 << 20, true);
        final StateMachine counter = new StateMachine()
        {
            public void apply(
                final long slot,
                final long timestamp,
                final DirectBuffer cmd,
                final int offset,
                final int length,
                final ResponseWriter response)
            {
                appliedCommands++;
            }
        };
        leader = new PaxosNode(config(LEADER), leaderLog, counter, new Outbox()
        {
            public void sendToPeer(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
            {
                if (nodeId == ACCEPTOR)
                {
                    toAcceptorLength = enqueue(toAcceptor, toAcceptorLength, buffer, offset, length);
                }
            }

            public void sendToClient(final long clientId, final DirectBuffer buffer, final int offset, final int length)
            {
            }
        }, Throwable::printStackTrace);
        acceptor = new PaxosNode(config(ACCEPTOR), acceptorLog, counter, new Outbox()
        {
            public void sendToPeer(final int nodeId, final DirectBuffer buffer, final int offset, final int length)
            {
                if (nodeId == LEADER)
                {
                    toLeaderLength = enqueue(toLeader, toLeaderLength, buffer, offset, length);
                }
            }

            public void sendToClient(final long clientId, final DirectBuffer buffer, final int offset, final int length)
            {
            }
        }, Throwable::printStackTrace);

        electLeader();
        openSession();

        final CommandEncoder encoder = new CommandEncoder()
            .wrapAndApplyHeader(command, 0, new MessageHeaderEncoder())
            .sessionId(0)
            .sequence(1);
        encoder.putPayload(new UnsafeBuffer(new byte[payloadLength]), 0, payloadLength);
        commandLength = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        sequenceOffset = MessageHeaderEncoder.ENCODED_LENGTH + CommandEncoder.sequenceEncodingOffset();
    }

    /**
     * A batch of commands arrives in one duty cycle: one Accept, one Accepted, commit, apply.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batchOfCommands()
    {
        for (int i = 0; i < BATCH; i++)
        {
            command.putLong(sequenceOffset, ++sequence);
            leader.onClientMessage(1, command, 0, commandLength);
        }
        leader.doWork();
        exchange();
        leader.doWork();
        acceptor.doWork();

        // Keep memory bounded: drop what both have applied, as compaction after a snapshot would.
        leaderLog.truncateBelow(Math.min(leader.appliedIndex(), acceptor.appliedIndex()));
        acceptorLog.truncateBelow(Math.min(acceptor.appliedIndex(), acceptorLog.commitIndex()));
        return appliedCommands;
    }

    private void electLeader()
    {
        final long start = 1_000_000_000L;
        leader.onTick(start);
        acceptor.onTick(start);
        leader.onTick(start + 6_000_000);
        exchange(); // the acceptor's heartbeat makes it live to the leader
        leader.onTick(start + 10_000_000);
        leader.doWork(); // stands: Prepare
        exchange();
        leader.doWork();
        exchange();
        if (leader.role() != Role.LEADER)
        {
            throw new IllegalStateException("leader not elected: " + leader);
        }
    }

    private void openSession()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final SessionOpenEncoder open = new SessionOpenEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(1).window(1);
        leader.onClientMessage(1, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + open.encodedLength());
        leader.doWork();
        exchange();
        leader.doWork();
        if (leader.sessionCount() != 1)
        {
            throw new IllegalStateException("session not opened: " + leader);
        }
    }

    private void exchange()
    {
        while (toAcceptorLength > 0 || toLeaderLength > 0)
        {
            final int acceptorBytes = toAcceptorLength;
            toAcceptorLength = 0;
            deliver(toAcceptor, acceptorBytes, acceptor);
            final int leaderBytes = toLeaderLength;
            toLeaderLength = 0;
            deliver(toLeader, leaderBytes, leader);
        }
    }

    private static void deliver(final ExpandableArrayBuffer queue, final int queued, final PaxosNode node)
    {
        int position = 0;
        while (position < queued)
        {
            final int length = queue.getInt(position);
            node.onPeerMessage(queue, position + 4, length);
            position += 4 + length;
        }
    }

    private static int enqueue(
        final ExpandableArrayBuffer queue,
        final int queued,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        queue.putInt(queued, length);
        queue.putBytes(queued + 4, buffer, offset, length);
        return queued + 4 + length;
    }

    private static CoreConfig config(final int nodeId)
    {
        return new CoreConfig()
            .nodeId(nodeId)
            .memberIds(0, 1, 2)
            .maxPayloadLength(4096)
            .maxMessageLength(256 * 1024)
            .heartbeatIntervalNs(5_000_000);
    }
}
