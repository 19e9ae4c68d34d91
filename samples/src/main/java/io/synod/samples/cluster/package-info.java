/**
 * What the samples share: {@link io.synod.samples.cluster.CommandSender}, the one call a sample's client facade
 * needs from a Synod client; {@link io.synod.samples.cluster.ClientCommandSender}, which implements it over a
 * {@link io.synod.client.SynodClient}; and {@link io.synod.samples.cluster.LocalCluster}, three
 * {@link io.synod.node.SynodNode}s over Aeron UDP on loopback in one JVM with one client. Public API only: the samples
 * use {@code io.synod}, {@code io.synod.node} and {@code io.synod.client}, never the protocol core, the log or the
 * codecs.
 */
package io.synod.samples.cluster;
