/**
 * What the samples share: {@link io.synod.samples.cluster.CommandSender}, the one call a sample's client facade
 * needs from a Synod client, and {@link io.synod.samples.cluster.InProcessCluster}, three real Paxos cores in one
 * thread with an in-memory router, which implements it until the Aeron client is wired in.
 */
package io.synod.samples.cluster;
