/**
 * Internals of {@link io.synod.SynodClient}: the ring of outstanding commands, the egress adapter, and the view of
 * who leads built from NewLeader events.
 */
package io.synod.client;
