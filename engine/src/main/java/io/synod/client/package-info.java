/**
 * The Synod client: {@link io.synod.client.SynodClient} connected with a {@link io.synod.client.ClientContext}. Its
 * internals (the ring of outstanding commands, the egress adapter, the view of who leads) are package-private.
 */
package io.synod.client;
