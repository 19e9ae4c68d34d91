/**
 * A Synod node: {@link io.synod.node.SynodNode} launched from a {@link io.synod.node.Context}, and
 * {@link io.synod.node.SynodNodeMain} to run one per process. The rest of the package is the node's Aeron runtime
 * (the agent and its duty cycle, adapters in, publishers out, the buffered outbox, client registry, counters and
 * latency tracking) and is package-private.
 */
package io.synod.node;
