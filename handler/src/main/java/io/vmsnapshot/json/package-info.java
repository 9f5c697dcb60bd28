/**
 * JSON text to Jackson trees ({@code JsonNode}) and back, without {@code ObjectMapper}
 * ({@code JsonText}), and the one exception a malformed text raises ({@code MalformedJsonException}).
 * The agent's files (HandlerEnvironment.json, the settings, the status and heartbeat files, the
 * handler's own state) are small trees; every process reads and writes them, enable among the
 * first things it does, and an ObjectMapper's construction and first parse cost a short-lived
 * process more than its own work (see README, Benchmarks).
 *
 * <p>May use: nothing of the project.
 */
package io.vmsnapshot.json;
