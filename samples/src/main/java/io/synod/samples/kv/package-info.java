/**
 * Sample: a replicated key-value store. {@link io.synod.samples.kv.KeyValueStateMachine} holds byte-string keys and
 * values in one Agrona buffer and answers PUT, GET, DELETE and CAS; {@link io.synod.samples.kv.KeyValueCommands} is
 * the fixed byte layout of commands and responses; {@link io.synod.samples.kv.KeyValueClient} is the client-side
 * facade over a {@link io.synod.samples.cluster.CommandSender}; {@link io.synod.samples.kv.KeyValueDemo} runs it on
 * three nodes over UDP on loopback in one JVM.
 */
package io.synod.samples.kv;
