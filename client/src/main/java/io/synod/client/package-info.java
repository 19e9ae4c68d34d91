/**
 * The Synod client: {@link io.synod.client.SynodClient} connected with a {@link io.synod.client.ClientContext}, over
 * Aeron; {@link io.synod.client.ClientSession}, the client protocol without I/O, for custom transports and
 * deterministic tests. Internals (the Aeron transport, own-thread mode, the ring of outstanding commands, the egress
 * adapter, the view of who leads) are package-private.
 */
package io.synod.client;
