package io.synod.node;

/**
 * Event counts of the runtime's edges, single writer (the node agent); copied into {@link NodeCounters}.
 */
final class RuntimeCounts
{
    /** Offers refused with BACK_PRESSURED or ADMIN_ACTION: the message waits for the next cycle. */
    long backPressureEvents;
    /** Peer messages dropped: peer not connected, queue full, publication closed. */
    long peerMessagesDropped;
    /** Client messages dropped: unknown client, client gone, queue full. */
    long clientMessagesDropped;
    /** Messages the runtime itself could not decode (Connect, short fragments). */
    long malformedMessages;
    /** Peer messages refused: no trailer, or a MAC that is not the cluster key's. */
    long peerMessagesNotAuthenticated;
    /** Peer messages refused: the sender's member list hash differs from this node's. */
    long peerMemberListMismatches;
    /** Connects refused by the connect policy, the authenticator or a cap. */
    long connectsRefused;
    /** Requests from a client that has not connected (or was refused), dropped before the core. */
    long requestsUnconnected;
    /** Session opens refused at the per-client cap, before the core. */
    long sessionOpensOverClientCap;
    /** Session opens without a session key refused because requireSessionKey is on, before the core. */
    long sessionOpensWithoutKey;
    /** Growths of a client queue the egress budget refused (maxEgressQueueBytes). */
    long egressGrowthsRefused;
    /** Bytes of capacity all client queues hold now (a gauge). */
    long egressQueueBytes;
    /** Errors reported to the error handler. */
    long errors;
}
