/**
 * Sample: an order-matching engine as a replicated state machine. {@link
 * io.synod.samples.matching.MatchingEngineStateMachine} keeps one limit order book per instrument and matches by
 * price-time priority; {@link io.synod.samples.matching.OrderCommands} and {@link
 * io.synod.samples.matching.ExecutionReport} are the fixed byte layouts of commands and responses; {@link
 * io.synod.samples.matching.MatchingEngineDemo} runs it on three nodes over UDP on loopback in one JVM. Orders and
 * price levels are pooled, so matching allocates nothing in steady state.
 */
package io.synod.samples.matching;
