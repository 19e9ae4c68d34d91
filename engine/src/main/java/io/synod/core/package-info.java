/**
 * Multi-Paxos as a deterministic state machine: no threads, no I/O, no wall clock. {@link io.synod.core.PaxosNode}
 * composes the roles (election, proposer, acceptor, learner) and is driven by decoded messages and ticks; it acts
 * through an {@link io.synod.core.Outbox}, a {@link io.synod.log.PaxosLog} and the user's state machine.
 */
package io.synod.core;
