package io.synod.perf.flood;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.synod.codecs.CommandEncoder;
import io.synod.codecs.ConnectEncoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.SessionOpenEncoder;
import io.synod.perf.compare.ChildProcesses;
import io.synod.perf.compare.Idle;
import io.synod.perf.compare.SynodSide;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The flooder of the flood harness: plain Aeron publications to the leader's ingress endpoint (found from the nodes'
 * role counters, and followed when it changes), well-formed SBE messages built with the codecs, offered at a fixed
 * rate for a fixed time. Prints a progress line per second and one {@code FLOOD} line at the end for the harness.
 * Its embedded media driver runs with its own idle strategy so that, on a small machine, the flood takes no more
 * CPU from the nodes than sending needs (a real flood comes from another host's CPU).
 */
@Command(name = "FloodSenderMain", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Flooder of the flood harness (started by FloodMain).")
public final class FloodSenderMain implements Callable<Integer>
{
    static final String RESULT = "FLOOD ";
    static final String STARTED = "FLOOD-STARTED";
    private static final int INGRESS_STREAM_ID = 7302;
    private static final int RESPONSE_STREAM_ID = 9900;
    private static final int NO_SUCH_SESSION = 999_999;
    private static final String TERM = "|term-length=64k";
    /**
     * The flooder's driver and client wait this long for each other: on a 2-core machine shared with builds (load
     * average 37 was seen) the default 10 s passed while the flooder's driver was starved, and the flood phase failed.
     */
    private static final long LIVENESS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final String CONNECTS_MANY = "connects-many";
    private static final int IN_FLIGHT = 256;
    private static final long CONNECTED_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);

    @Option(names = "--dir", required = true, description = "The run's directory (the nodes' counters).")
    File dir;

    @Option(names = "--port-base", description = "First UDP port of the nodes.")
    int portBase = FloodMain.PORT_BASE_DEFAULT;

    @Option(names = "--flood", required = true, description = "commands, opens, opens-many, connects-forged or " +
        "connects-many.")
    String flood;

    @Option(names = "--rate", description = "Messages per second.")
    int rate = 20_000;

    @Option(names = "--seconds", description = "How long.")
    int seconds = 10;

    @Option(names = "--payload", description = "Payload length of a flooding command.")
    int payload = 1024;

    @Option(names = "--connections", description = "opens-many: connections the opens are spread over; " +
        "connects-many: distinct connections made, each sending one forged Connect.")
    int connections = 100;

    @Option(names = "--live-connections", description = "connects-many: connections kept open at once (the oldest " +
        "is closed for each new one).")
    int liveConnections = 100;

    @Option(names = "--idle", description = "Idle strategy of the flooder's embedded media driver.")
    String idle = "backoff";

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final UnsafeBuffer payloadBytes = new UnsafeBuffer(new byte[65536]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final CommandEncoder command = new CommandEncoder();
    private final SessionOpenEncoder sessionOpen = new SessionOpenEncoder();
    private final ConnectEncoder connect = new ConnectEncoder();
    private final ArrayDeque<ExclusivePublication> publications = new ArrayDeque<>();
    private final ArrayDeque<Attempt> attempts = new ArrayDeque<>();
    private long started;
    private Aeron aeron;
    private String responseChannel;
    private int leader = -1;
    private long sent;
    private long correlation;
    private long connectionsMade;
    private long leaderChanges;
    private long responses;

    /**
     * @param args see {@code --help}.
     */
    public static void main(final String[] args)
    {
        ChildProcesses.exitWithParent();
        System.exit(new CommandLine(new FloodSenderMain()).execute(args));
    }

    @Override
    public Integer call()
    {
        final File aeronDir = new File(dir, "aeron-flooder-" + ProcessHandle.current().pid());
        MediaDriver driver = null;
        Subscription responsesIn = null;
        try
        {
            driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(aeronDir.getPath())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(Idle.of(idle))
                .termBufferSparseFile(true)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .clientLivenessTimeoutNs(LIVENESS_TIMEOUT_NS)
                .publicationUnblockTimeoutNs(2 * LIVENESS_TIMEOUT_NS)); // Aeron requires it longer
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir.getPath())
                .driverTimeoutMs(TimeUnit.NANOSECONDS.toMillis(LIVENESS_TIMEOUT_NS)));
            responsesIn = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:0", RESPONSE_STREAM_ID);
            final long resolveDeadline = System.nanoTime() + CONNECTED_TIMEOUT_NS;
            while ((responseChannel = responsesIn.tryResolveChannelEndpointPort()) == null &&
                System.nanoTime() < resolveDeadline)
            {
                LockSupport.parkNanos(100_000);
            }
            run(responsesIn);
        }
        finally
        {
            publications.forEach(CloseHelper::quietClose);
            attempts.forEach((attempt) -> CloseHelper.quietClose(attempt.publication));
            CloseHelper.quietClose(responsesIn);
            CloseHelper.quietClose(aeron);
            CloseHelper.quietClose(driver);
        }
        return 0;
    }

    private void run(final Subscription responsesIn)
    {
        final FragmentHandler discard = (buffer, offset, length, aeronHeader) -> responses++;
        final long setupDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (leader < 0 && System.nanoTime() < setupDeadlineNs)
        {
            followLeader(); // and connect: the phase is measured from the first message
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        System.out.println(STARTED);
        final long startNs = System.nanoTime();
        final long endNs = startNs + TimeUnit.SECONDS.toNanos(seconds);
        long nextLeaderCheckNs = startNs + TimeUnit.MILLISECONDS.toNanos(200);
        long nextProgressNs = startNs + TimeUnit.SECONDS.toNanos(1);
        long sentAtProgress = 0;
        long nowNs;
        while ((nowNs = System.nanoTime()) < endNs)
        {
            if (nowNs >= nextLeaderCheckNs)
            {
                followLeader();
                nextLeaderCheckNs = nowNs + TimeUnit.MILLISECONDS.toNanos(200);
            }
            final long due = (nowNs - startNs) * rate / TimeUnit.SECONDS.toNanos(1);
            int burst = 0;
            if (CONNECTS_MANY.equals(flood))
            {
                burst = pumpConnections(due, nowNs);
            }
            else
            {
                while (leader >= 0 && sent < due && burst < 1_000 && sendOne())
                {
                    sent++;
                    burst++;
                }
            }
            final int polled = responsesIn.poll(discard, 100);
            if (nowNs >= nextProgressNs)
            {
                System.out.printf("  flood %s: %d/%d s, %,d messages/s, leader %d, %,d connections made%n", flood,
                    TimeUnit.NANOSECONDS.toSeconds(nowNs - startNs), seconds, sent - sentAtProgress, leader,
                    connectionsMade);
                sentAtProgress = sent;
                nextProgressNs += TimeUnit.SECONDS.toNanos(1);
            }
            if (burst == 0 && polled == 0)
            {
                LockSupport.parkNanos(200_000);
            }
        }
        final double elapsed = (System.nanoTime() - startNs) / 1e9;
        System.out.printf("%sflood=%s sent=%d seconds=%.3f connections=%d responses=%d leaderChanges=%d%n", RESULT,
            flood, sent, elapsed, connectionsMade, responses, leaderChanges);
    }

    /**
     * connects-many: keep up to {@link #IN_FLIGHT} new connections being set up at once (a connection takes a round
     * trip to the leader's driver, too slow to make one at a time), send one forged Connect on each as it connects,
     * and keep at most {@code --live-connections} of them open.
     *
     * @return Connects sent now.
     */
    private int pumpConnections(final long due, final long nowNs)
    {
        if (leader < 0)
        {
            return 0;
        }
        while (started < connections && started < due && attempts.size() < IN_FLIGHT)
        {
            attempts.addLast(new Attempt(aeron.asyncAddExclusivePublication(
                "aeron:udp?endpoint=" + SynodSide.ingressEndpoint(portBase, leader) + TERM, INGRESS_STREAM_ID), nowNs));
            started++;
        }
        int sentNow = 0;
        for (int i = attempts.size(); i > 0; i--)
        {
            final Attempt attempt = attempts.pollFirst();
            if (attempt.publication == null)
            {
                attempt.publication = aeron.getExclusivePublication(attempt.registrationId);
            }
            if (attempt.publication != null && attempt.publication.isConnected() &&
                attempt.publication.offer(buffer, 0, forgedConnect(connectionsMade)) > 0)
            {
                connectionsMade++;
                sent++;
                sentNow++;
                publications.addLast(attempt.publication);
                if (publications.size() > liveConnections)
                {
                    CloseHelper.quietClose(publications.pollFirst());
                }
            }
            else if (nowNs - attempt.sinceNs > CONNECTED_TIMEOUT_NS)
            {
                CloseHelper.quietClose(attempt.publication);
                started--; // made again: the count is of connections that sent their Connect
            }
            else
            {
                attempts.addLast(attempt);
            }
        }
        return sentNow;
    }

    /** Find the leader; on a change, drop the connections to the old one and connect to the new one. */
    private void followLeader()
    {
        final int now = NodeStats.leader(dir);
        if (now < 0 || now == leader)
        {
            return;
        }
        if (leader >= 0)
        {
            leaderChanges++;
            System.out.printf("  flood %s: leader is now node %d%n", flood, now);
        }
        leader = now;
        publications.forEach(CloseHelper::quietClose);
        publications.clear();
        if (CONNECTS_MANY.equals(flood))
        {
            attempts.forEach((attempt) -> CloseHelper.quietClose(attempt.publication));
            started -= attempts.size(); // made again to the new leader
            attempts.clear(); // one still being added is left to the driver: closed with this client
            return; // a new connection per message
        }
        final int count = "opens-many".equals(flood) ? connections : 1;
        for (int i = 0; i < count; i++)
        {
            final ExclusivePublication publication = newConnection();
            if (publication != null && !"connects-forged".equals(flood))
            {
                offer(publication, connect(responseChannel, RESPONSE_STREAM_ID));
            }
        }
    }

    private ExclusivePublication newConnection()
    {
        final ExclusivePublication publication = aeron.addExclusivePublication(
            "aeron:udp?endpoint=" + SynodSide.ingressEndpoint(portBase, leader) + TERM, INGRESS_STREAM_ID);
        final long deadline = System.nanoTime() + CONNECTED_TIMEOUT_NS;
        while (!publication.isConnected() && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(100_000);
        }
        if (!publication.isConnected())
        {
            publication.close();
            return null;
        }
        publications.addLast(publication);
        connectionsMade++;
        return publication;
    }

    /** @return false if it could not be sent now (back-pressure, or no connection). */
    private boolean sendOne()
    {
        switch (flood)
        {
            case "commands":
            {
                final ExclusivePublication publication = publications.peekFirst();
                return publication != null && publication.offer(buffer, 0, command(sent + 1)) > 0;
            }
            case "opens":
            case "opens-many":
            {
                final ExclusivePublication publication = publications.pollFirst();
                if (publication == null)
                {
                    return false;
                }
                publications.addLast(publication); // round robin over the connections
                return publication.offer(buffer, 0, sessionOpen(++correlation)) > 0;
            }
            case "connects-forged":
            {
                final ExclusivePublication publication = publications.peekFirst();
                return publication != null && publication.offer(buffer, 0, forgedConnect(sent)) > 0;
            }
            default:
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown --flood " + flood);
        }
    }

    private boolean offer(final ExclusivePublication publication, final int length)
    {
        final long deadline = System.nanoTime() + CONNECTED_TIMEOUT_NS;
        while (publication.offer(buffer, 0, length) < 0)
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            LockSupport.parkNanos(50_000);
        }
        return true;
    }

    private int command(final long sequence)
    {
        command.wrapAndApplyHeader(buffer, 0, header).sessionId(NO_SUCH_SESSION).sequence(sequence)
            .sessionKey(sequence).putPayload(payloadBytes, 0, payload);
        return MessageHeaderEncoder.ENCODED_LENGTH + command.encodedLength();
    }

    private int sessionOpen(final long correlationId)
    {
        sessionOpen.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).window(1)
            .sessionKey(correlationId * 31 + 7);
        return MessageHeaderEncoder.ENCODED_LENGTH + sessionOpen.encodedLength();
    }

    private int connect(final String channel, final int streamId)
    {
        connect.wrapAndApplyHeader(buffer, 0, header).correlationId(++correlation).responseStreamId(streamId)
            .responseChannel(channel);
        return MessageHeaderEncoder.ENCODED_LENGTH + connect.encodedLength();
    }

    /** A Connect naming a response channel no one listens on: a loopback port of the harness's range. */
    private int forgedConnect(final long i)
    {
        return connect("aeron:udp?endpoint=127.0.0.1:" + (portBase + 200 + i % 200), 10_000 + (int)(i % 10_000));
    }

    /** connects-many: a connection being set up. */
    private static final class Attempt
    {
        final long registrationId;
        final long sinceNs;
        ExclusivePublication publication;

        Attempt(final long registrationId, final long sinceNs)
        {
            this.registrationId = registrationId;
            this.sinceNs = sinceNs;
        }
    }
}
