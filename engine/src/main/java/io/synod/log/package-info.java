/**
 * Storage of the acceptor: entries by slot, the promised ballot and the commit index, behind {@link
 * io.synod.log.PaxosLog}. Usable on its own; the protocol core is its single writer.
 */
package io.synod.log;
