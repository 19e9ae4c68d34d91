/**
 * The Aeron runtime of a node: the agent and its duty cycle, adapters (fragments in) and publishers (offers out),
 * the buffered outbox, client registry, counters and latency tracking. Internal: use {@link io.synod.SynodNode}.
 */
package io.synod.runtime;
