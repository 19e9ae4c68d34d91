package io.synod.node;

import io.aeron.exceptions.ConfigurationException;
import io.aeron.exceptions.RegistrationException;
import io.synod.ClusterMember;
import io.synod.Configuration;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.synod.StateMachineFailedException;
import io.synod.codecs.MemberListEncoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.core.PaxosNode;
import io.synod.Role;
import io.synod.log.PaxosLog;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * The node: one single-writer agent that owns the core, the log and every publication and subscription. Duty cycle:
 * tick the core, poll peers (control lane first), poll client ingress, let the core batch and apply ({@code doWork}), sync the log, then
 * publish what the cycle produced. Nothing leaves before the sync, so replies respect the log's durability policy
 * (group commit), and whatever arrived since the last cycle forms one batch (smart batching).
 * <p>
 * Fail-stop: an exception that escapes a duty cycle (a log that cannot be written: full file system, I/O error,
 * corruption found at run time; or any other bug), or a core that stopped itself because its state machine threw,
 * stops the node for good. The core is not exception safe part way
 * through a call, and the cycle's queued messages may describe writes that never became durable, so the agent closes
 * its publications and subscriptions, drops the queued messages unsent, reports a {@link NodeFailedException} and
 * from then on only keeps its Aeron client alive (so its counters stay readable). Staying up instead left a leader
 * that heartbeated but could not append: the others never stood and the cluster served nothing.
 */
final class NodeAgent implements Agent
{
    private static final long HOUSEKEEPING_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MEMBER_LIST_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final Context ctx;
    private final Aeron aeron;
    private final AgentInvoker aeronInvoker;
    private final AgentInvoker driverInvoker;
    private final PaxosLog log;
    private final PaxosNode core;
    private final NanoClock clock;
    private final RuntimeCounts counts;
    private final CountingErrorHandler errorHandler;
    private final NodeCounters counters;
    private final NodeMetrics metrics;
    private final LatencyTracker tracker;
    private final ClientRegistry clients;
    private final Subscription peerSubscription;
    private final Subscription peerControlSubscription;
    private final Subscription ingressSubscription;
    private final PeerLink[] peers;
    private final ExclusivePublication[] peerPublications;
    private final FailStopHandler peerHandler;
    private final FailStopHandler peerControlHandler;
    private final FailStopHandler ingressHandler;
    private final LeaderAnnouncer leaderAnnouncer;
    private final IngressAdapter ingressAdapter;
    private final PeerPublisher peerPublisher;
    private final EgressPublisher egressPublisher;
    private final BufferedOutbox outbox;
    private final PeerAdmission peerAdmission;
    private final UnsafeBuffer memberListMessage;
    private final int memberListLength;
    private long nextMemberListNs;
    private final int fragmentLimit;
    private final int clientFragmentLimit;
    private int ingressRoundRobin;
    private final long histogramLogIntervalNs;
    private long nextHousekeepingNs;
    private long nextPeerUpdateNs;
    private boolean sampleDue;
    private long nextHistogramLogNs;
    private long lastCommitIndex = -1;
    private final long maxClockStepNs;
    private long coreNowNs;
    private volatile Throwable failure;

    /**
     * Make the node's publications, subscriptions, counters and core. Blocks while Aeron registers them.
     *
     * @param ctx          concluded settings.
     * @param aeron        client of the node's media driver, with its conductor run by this agent (agent invoker mode).
     * @param driverInvoker the embedded driver's agents when its threading mode is INVOKER, run by this agent; else
     *                     null.
     * @param log          the node's log.
     * @param errorHandler where errors go, counting.
     * @param metrics      the node's histograms.
     */
    NodeAgent(
        final Context ctx,
        final Aeron aeron,
        final AgentInvoker driverInvoker,
        final PaxosLog log,
        final CountingErrorHandler errorHandler,
        final NodeMetrics metrics)
    {
        this.ctx = ctx;
        this.aeron = aeron;
        this.aeronInvoker = aeron.conductorAgentInvoker();
        this.driverInvoker = driverInvoker;
        this.log = log;
        this.clock = ctx.nanoClock();
        this.counts = new RuntimeCounts();
        this.errorHandler = errorHandler;
        this.metrics = metrics;
        this.fragmentLimit = ctx.fragmentLimit();
        this.clientFragmentLimit = ctx.admission().clientFragmentLimit();
        this.histogramLogIntervalNs = ctx.histogramLogFile() != null ? ctx.histogramLogIntervalNs() : 0;
        this.maxClockStepNs = Math.max(1, ctx.electionTimeoutNs() / 4);

        final ClusterMember self = ctx.member(ctx.nodeId());
        final ClusterMember[] members = ctx.clusterMembers();
        final PeerSettings peerSettings = ctx.peers();
        peers = new PeerLink[members.length - 1];
        peerPublications = new ExclusivePublication[2 * peers.length];
        for (int i = 0, p = 0; i < members.length; i++)
        {
            if (members[i].id() != ctx.nodeId())
            {
                // Two streams to the same endpoint: control and data have their own term buffers and flow control.
                final String channel = ClusterMember.udpChannel(members[i].peerEndpoint(), ctx.termLength());
                final ExclusivePublication control = aeron.addExclusivePublication(
                    channel, peerSettings.peerControlStreamId());
                final ExclusivePublication data = aeron.addExclusivePublication(
                    channel + "|pub-wnd=" + peerSettings.peerDataBudget(), peerSettings.peerStreamId());
                peerPublications[2 * p] = control;
                peerPublications[2 * p + 1] = data;
                peers[p] = new PeerLink(
                    members[i].id(), control, data, peerSettings.peerQueueCapacity(), peerSettings.peerDataBudget());
                p++;
            }
        }
        peerSubscription = subscribe(self.peerEndpoint(), peerSettings.peerStreamId(), "peer");
        peerControlSubscription = subscribe(self.peerEndpoint(), peerSettings.peerControlStreamId(), "peer");
        ingressSubscription = subscribe(self.ingressEndpoint(), ctx.ingressStreamId(), "ingress");

        final int[] peerIds = new int[peers.length];
        for (int p = 0; p < peers.length; p++)
        {
            peerIds[p] = peers[p].peerId;
        }
        counters = new NodeCounters(aeron, ctx.nodeId(), peerIds);
        tracker = new LatencyTracker(metrics, ctx.windowEntries());
        final RefusalReporter refusals = new RefusalReporter(errorHandler, clock);
        final ClientAdmission admission = ctx.admission();
        clients = new ClientRegistry(aeron, ctx.termLength(), admission.egressQueueCapacity(),
            admission.clientTimeoutNs(), refusals, ConnectPolicy.of(admission),
            new EgressBudget(admission.maxEgressQueueBytes(), counts));
        egressPublisher = new EgressPublisher(counts, tracker, clock);
        peerPublisher = new PeerPublisher(peers, counts);
        // Each direction its own trailer (own HMAC state); both vouch for the same member list.
        final String memberList = MemberListHash.canonical(members);
        final long memberListHash = MemberListHash.hash(memberList);
        outbox = new BufferedOutbox(
            peers, clients, egressPublisher, counts, new PeerTrailer(peerSettings.peerKey(), memberListHash),
            ctx.maxMessageLength());
        peerAdmission = new PeerAdmission(
            new PeerTrailer(peerSettings.peerKey(), memberListHash), memberList, counts, errorHandler);
        memberListMessage = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH +
            MemberListEncoder.BLOCK_LENGTH + MemberListEncoder.membersHeaderLength() + memberList.length()]);
        memberListLength = MessageHeaderEncoder.ENCODED_LENGTH + new MemberListEncoder()
            .wrapAndApplyHeader(memberListMessage, 0, new MessageHeaderEncoder())
            .fromNodeId(ctx.nodeId()).clusterId(ctx.clusterId()).memberListHash(memberListHash).members(memberList)
            .encodedLength();
        core = new PaxosNode(ctx.coreConfig(), log, ctx.stateMachine(), outbox, errorHandler);
        final PeerAdapter peerAdapter = new PeerAdapter(core, peerAdmission);
        peerAdapter.subscription(peerSubscription);
        final PeerAdapter peerControlAdapter = new PeerAdapter(core, peerAdmission);
        peerControlAdapter.subscription(peerControlSubscription);
        peerHandler = new FailStopHandler(new FragmentAssembler(peerAdapter));
        peerControlHandler = new FailStopHandler(new FragmentAssembler(peerControlAdapter));
        ingressAdapter = new IngressAdapter(core, log, clients, tracker, counts, refusals, admission.authenticator(),
            admission.maxSessionsPerClient(), admission.requireSessionKey());
        ingressHandler = new FailStopHandler(new FragmentAssembler(ingressAdapter));
        leaderAnnouncer = new LeaderAnnouncer(core, clients, outbox);
        ingressAdapter.leaderAnnouncer(leaderAnnouncer);
        ingressAdapter.challenges(
            new ChallengeRound(admission.authenticator(), outbox, admission.challengeTimeoutNs()));
        clients.authenticator(admission.authenticator(), counts);
        ingressAdapter.clusterId(ctx.clusterId(), outbox);
        counters.update(core, counts, 0);
    }

    /**
     * A port another process holds is one line naming the node, the endpoint and the setting, not a stack trace: most
     * often a second node started with the same id.
     */
    private Subscription subscribe(final String endpoint, final int streamId, final String what)
    {
        try
        {
            return aeron.addSubscription("aeron:udp?endpoint=" + endpoint, streamId);
        }
        catch (final RegistrationException ex)
        {
            final String message = String.valueOf(ex.getMessage());
            final String reason = message.contains("Address already in use") ? "address already in use" :
                message.contains("Cannot assign requested address") ? "not an address of this host" : message;
            throw new ConfigurationException("node " + ctx.nodeId() + " cannot bind its " + what + " endpoint " +
                endpoint + " (member " + ctx.nodeId() + " in " + Configuration.MEMBERS_PROP + "): " + reason +
                "; is another node with id " + ctx.nodeId() + " running, or another process on that port?");
        }
    }

    public int doWork()
    {
        // The embedded driver in INVOKER mode: its sender, receiver and conductor run here, first, every cycle.
        final int driverWork = null != driverInvoker ? driverInvoker.invoke() : 0;
        if (failure != null)
        {
            // Keep the Aeron client's conductor running so the counters stay readable until the node is closed.
            return driverWork + (aeronInvoker != null ? aeronInvoker.invoke() : 0);
        }
        int work;
        metrics.beginCycle(); // one recording section per cycle: the histograms cost no atomic per value
        try
        {
            work = driverWork + dutyCycle();
        }
        catch (final RuntimeException | Error ex) // an Error too: a fault in a mapped file is an InternalError
        {
            fail(ex);
            work = 1;
        }
        finally
        {
            metrics.endCycle();
        }
        if (sampleDue)
        {
            sampleDue = false;
            metrics.sample(); // outside the recording section: it waits for that section to end
        }
        return work;
    }

    private int dutyCycle()
    {
        int work = aeronInvoker != null ? aeronInvoker.invoke() : 0;
        if (aeron.isClosed())
        {
            // Nothing of Aeron's may be touched now: its counters' memory may be unmapped.
            counters.detach();
            throw new IllegalStateException("node " + ctx.nodeId() + ": its Aeron client closed (the media driver at " +
                ctx.aeronDirectoryName() + " stopped, or timed this client out after the node's thread stalled for " +
                "longer than the driver's client liveness timeout, aeron.client.liveness.timeout)");
        }
        final long nowNs = clock.nanoTime();
        core.onTick(coreTime(nowNs));
        ingressAdapter.nowNs(nowNs);
        peerAdmission.nowNs(nowNs);
        // Control first: a heartbeat or vote is read in the first cycle after a stall, whatever data queued up.
        work += peerControlSubscription.poll(peerControlHandler, fragmentLimit);
        peerControlHandler.rethrowFailure();
        work += peerSubscription.poll(peerHandler, fragmentLimit);
        peerHandler.rethrowFailure();
        work += pollIngressFairly();
        ingressHandler.rethrowFailure();

        final long appliedBefore = core.appliedIndex();
        final long coreStartNs = clock.nanoTime();
        work += core.doWork();
        final long coreEndNs = clock.nanoTime();
        if (core.appliedIndex() != appliedBefore)
        {
            tracker.onApply(coreEndNs - coreStartNs);
        }
        tracker.onBatch(ingressAdapter.takeCommandsProposed());
        work += leaderAnnouncer.afterDutyCycle();

        log.sync();

        final long commitIndex = core.commitIndex();
        if (commitIndex != lastCommitIndex)
        {
            if (core.role() == Role.LEADER)
            {
                tracker.onCommitIndex(commitIndex, coreEndNs);
            }
            lastCommitIndex = commitIndex;
        }
        work += peerPublisher.flush();
        work += egressPublisher.flush();
        for (final PeerLink peer : peers)
        {
            if (peer.dataLost)
            {
                peer.dataLost = false;
                core.onPeerMessagesLost(peer.peerId); // counted already; the core sends it again
            }
        }

        if (nowNs >= nextHousekeepingNs)
        {
            nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
            work += clients.closeTimedOut(nowNs);
        }
        if (nowNs - nextMemberListNs >= 0)
        {
            nextMemberListNs = nowNs + MEMBER_LIST_INTERVAL_NS;
            sendMemberList(); // queued for the next flush
        }
        if (histogramLogIntervalNs > 0 && nowNs >= nextHistogramLogNs)
        {
            nextHistogramLogNs = nowNs + histogramLogIntervalNs;
            sampleDue = true;
        }
        counts.errors = errorHandler.errors();
        counters.update(core, counts, clients.size());
        if (nowNs >= nextPeerUpdateNs)
        {
            nextPeerUpdateNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
            for (int p = 0; p < peers.length; p++)
            {
                counters.updatePeer(p, peers[p].controlPublication.isConnected(), core.peerLag(peers[p].peerId));
            }
        }
        if (core.isFailed())
        {
            fail(core.failure()); // after the sync and flush: what the cycle sent before the failure is true
            work++;
        }
        return work;
    }

    /**
     * Tell every peer this node's member list, so that a peer whose list differs can name it in its report. Small,
     * once a second, on the control lane, with the same trailer as every peer message.
     */
    private void sendMemberList()
    {
        for (final PeerLink peer : peers)
        {
            outbox.sendToPeer(peer.peerId, memberListMessage, 0, memberListLength);
        }
    }

    /**
     * Poll each client's image for at most clientFragmentLimit fragments, the whole ingress for at most
     * fragmentLimit, starting at another client each cycle: a client that floods the ingress gets its share of the
     * duty cycle, and the others theirs (Aeron's {@code Subscription.poll} lets one image take the whole limit).
     */
    private int pollIngressFairly()
    {
        final int images = ingressSubscription.imageCount();
        if (images == 0)
        {
            return 0;
        }
        int fragments = 0;
        final int start = ingressRoundRobin++ % images;
        for (int i = 0; i < images && fragments < fragmentLimit; i++)
        {
            final Image image = ingressSubscription.imageAtIndex((start + i) % images);
            fragments += image.poll(ingressHandler, Math.min(clientFragmentLimit, fragmentLimit - fragments));
        }
        if (ingressRoundRobin < 0)
        {
            ingressRoundRobin = 0;
        }
        return fragments;
    }

    /**
     * The time given to the core advances at most a quarter of the election timeout per duty cycle. After a stall of
     * the whole process (GC, SIGSTOP, a slow disk) the core ticks before it reads the heartbeats that queued up
     * meanwhile; a clock that jumped by the stall would make every follower stand for election although the leader
     * is alive. Catching up in steps costs a few duty cycles (microseconds) and delays detecting a real failure by
     * as much.
     */
    private long coreTime(final long nowNs)
    {
        if (coreNowNs == 0 || nowNs - coreNowNs <= maxClockStepNs)
        {
            coreNowNs = nowNs;
        }
        else
        {
            coreNowNs += maxClockStepNs;
        }
        return coreNowNs;
    }

    /**
     * Stop for good, the one place a node fails: nothing more leaves this node (the cycle's queued messages are dropped
     * with the publications), nothing more is read, and the failure is visible to the application, the counters and
     * the error handler (once).
     */
    private void fail(final Throwable cause)
    {
        if (failure != null)
        {
            return;
        }
        CloseHelper.closeAll(errorHandler, peerPublications);
        CloseHelper.closeAll(
            errorHandler, clients, ingressSubscription, peerSubscription, peerControlSubscription);
        failure = cause;
        errorHandler.onError(cause instanceof StateMachineFailedException ? cause : new NodeFailedException(
            "node " + ctx.nodeId() + " stopped (fail-stop): its duty cycle failed and it sends nothing more; fix " +
            "the cause and restart it: " + cause, cause));
        counters.onFailed(errorHandler.errors());
    }

    /**
     * @return the exception that stopped the node, or null while it runs; from any thread.
     */
    public Throwable failure()
    {
        return failure;
    }

    public void onClose()
    {
        CloseHelper.closeAll(clients, counters, ingressSubscription, peerSubscription, peerControlSubscription);
        CloseHelper.closeAll(peerPublications);
    }

    public String roleName()
    {
        return "synod-node-" + ctx.nodeId();
    }

    /** @return the node's counters. */
    public NodeCounters counters()
    {
        return counters;
    }

    /** @return the core; read it on the agent's thread only. */
    PaxosNode core()
    {
        return core;
    }

    /** @return the Aeron client. */
    Aeron aeron()
    {
        return aeron;
    }
}
