/**
 * JSON text to Jackson trees ({@code JsonNode}) and back, without {@code ObjectMapper}
 * ({@code JsonText}), and the one exception a malformed text raises ({@code MalformedJsonException}).
 * The agent's files (HandlerEnvironment.json, the settings, the status and heartbeat files, the
 * handler's own state) are small trees; every process reads and writes them, enable among the
 * first things it does, and an ObjectMapper's construction and first parse cost a short-lived
 * process more than its own work (see README, Benchmarks).
 *
 * <p>Behind JsonText: {@code Utf8Decoder} (strict UTF-8 to text), {@code JsonReader} (text to tree,
 * the nodes readTree makes), {@code JsonWriter} (tree to the bytes ObjectMapper writes, compact or
 * pretty), {@code TextPosition} and {@code CharacterKind} (where an error is and what was found
 * there, without quoting the text). ObjectMapper stays the oracle of the tests.
 *
 * <p>May use: nothing of the project.
 */
package io.vmsnapshot.json;
