/**
 * Storage of the acceptor: entries by slot, the promised ballot and the commit index, behind {@link
 * io.synod.log.PaxosLog}. Usable on its own; the protocol core is its single writer.
 * <p>
 * {@link io.synod.log.MappedPaxosLog} keeps them in memory-mapped segment files and a metadata file, with a
 * {@link io.synod.log.DurabilityPolicy}; {@link io.synod.log.InMemoryPaxosLog} keeps them in direct memory for the
 * simulation and tests. Neither grows the heap with the entries it holds. Format and recovery rules: {@code docs/log.md}.
 */
package io.synod.log;
