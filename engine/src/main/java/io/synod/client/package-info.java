/**
 * Internals of {@link io.synod.SynodClient}: the ring of outstanding commands and the egress adapter.
 */
package io.synod.client;
