/**
 * The script plugin host: the customer's pre/post configuration, its checks and the scripts' runs.
 * Shipped as a separately verified jar and loaded from verified bytes; PackageBoundaryTest holds the
 * boundary in bytecode.
 *
 * <p>No {@code invokedynamic} here (PluginHostBytecodeTest holds it): no lambdas or method
 * references, and every record declares its own {@code equals}, {@code hashCode} and {@code
 * toString}, which the compiler would otherwise bootstrap through {@code ObjectMethods}. These
 * classes come from their own class loader, and the JVM's start-up archive (the JDK 25 AOT cache)
 * resolves call sites ahead of time only for classes of its built-in loaders: each call site here
 * would be linked again in every process, spinning lambda and method-handle classes at run time
 * (about 20 ms of each backup with scripts). Loops and small named classes cost nothing.
 *
 * <p>May use: error, json, logging, prepost, process. Nothing else uses it.
 */
package io.vmsnapshot.pluginhost;
