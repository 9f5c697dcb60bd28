/**
 * The script plugin host: the customer's pre/post configuration, its checks and the scripts' runs.
 * Shipped as a separately verified jar and loaded from verified bytes; PackageBoundaryTest holds the
 * boundary in bytecode.
 *
 * <p>May use: error, logging, prepost, process. Nothing else uses it.
 */
package io.vmsnapshot.pluginhost;
