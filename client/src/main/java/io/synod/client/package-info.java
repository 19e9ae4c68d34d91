/**
 * The Synod client: {@link io.synod.client.SynodClient} connected with a {@link io.synod.client.ClientContext}, over
 * Aeron; {@link io.synod.client.ClientSession}, the client protocol without I/O, for custom transports and
 * deterministic tests. Internals (the Aeron transport, own-thread mode, the ring of outstanding commands, the egress
 * adapter, the view of who leads) are package-private. The embedded media driver is the only use of
 * io.aeron:aeron-driver, an optional dependency: an application that connects to an external driver does without it.
 */
package io.synod.client;
