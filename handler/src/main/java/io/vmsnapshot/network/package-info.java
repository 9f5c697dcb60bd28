/**
 * How the storage calls reach Azure Storage on a customer's network: through the proxy the agent
 * passes ({@code https_proxy}/{@code http_proxy}, else {@code HttpProxy.Host} in waagent.conf),
 * except for {@code no_proxy} and the host endpoints, which always go direct; trusting the VM's own
 * CA store as well as the runtime's bundled roots. {@code StorageHttp} builds the one HTTP client
 * of a backup from them; {@code NetworkFacts} says what it would use, for {@code check}.
 *
 * <p>May use: error.
 */
package io.vmsnapshot.network;
