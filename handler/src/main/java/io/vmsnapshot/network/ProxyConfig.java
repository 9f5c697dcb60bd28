package io.vmsnapshot.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which proxy the storage calls take. The agent passes its service's environment to every
 * extension command, so {@code https_proxy} (for https URLs) and {@code http_proxy} (for http
 * URLs), lower case first, come first; without them {@code HttpProxy.Host}/{@code HttpProxy.Port}
 * of waagent.conf, Microsoft's documented setting for backups behind a proxy, which the agent uses
 * itself but does not pass on. {@code no_proxy} (or {@code NO_PROXY}) applies to either.
 *
 * @param https    for https URLs (every storage URL Azure hands out)
 * @param http     for http URLs
 * @param problems values that name no usable proxy, for the log and check (never with credentials)
 */
public record ProxyConfig(Optional<ProxyServer> https, Optional<ProxyServer> http, NoProxy noProxy,
                          List<String> problems) {
    public static final String WAAGENT_CONF_VARIABLE = "VMSNAPSHOT_WAAGENT_CONF";
    public static final Path WAAGENT_CONF = Path.of("/etc/waagent.conf");
    public static final ProxyConfig DIRECT = new ProxyConfig(Optional.empty(), Optional.empty(), NoProxy.NONE, List.of());

    public ProxyConfig {
        Objects.requireNonNull(https, "https");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(noProxy, "noProxy");
        problems = List.copyOf(problems);
    }

    /** From the command's environment and waagent.conf ({@code VMSNAPSHOT_WAAGENT_CONF} moves it, for tests). */
    public static ProxyConfig from(Map<String, String> env) {
        String conf = env.get(WAAGENT_CONF_VARIABLE);
        return from(env, conf == null || conf.isEmpty() ? WAAGENT_CONF : Path.of(conf));
    }

    static ProxyConfig from(Map<String, String> env, Path waagentConf) {
        List<String> problems = new ArrayList<>();
        Optional<ProxyServer> https = fromEnvironment(env, "https_proxy", problems);
        Optional<ProxyServer> http = fromEnvironment(env, "http_proxy", problems);
        if (https.isEmpty() && http.isEmpty()) {
            Optional<ProxyServer> conf = fromWaagentConf(waagentConf, problems);
            https = conf;
            http = conf;
        }
        String noProxy = firstSet(env, "no_proxy").map(Map.Entry::getValue).orElse("");
        return new ProxyConfig(https, http, NoProxy.parse(noProxy), problems);
    }

    /** The proxy for a URL of this scheme, unless its host is in no_proxy. */
    public Optional<ProxyServer> forUrl(String scheme, String host) {
        Optional<ProxyServer> proxy = "https".equalsIgnoreCase(scheme) ? https : "http".equalsIgnoreCase(scheme) ? http
                : Optional.empty();
        return proxy.filter(p -> !noProxy.matches(host));
    }

    public boolean usesAnyProxy() {
        return https.isPresent() || http.isPresent();
    }

    /** One line for the log and the status: what https and http calls go through. */
    public String describe() {
        if (!usesAnyProxy()) {
            return "direct";
        }
        String text = https.equals(http) ? https.get().describe()
                : "https " + https.map(ProxyServer::describe).orElse("direct") + ", http "
                        + http.map(ProxyServer::describe).orElse("direct");
        return noProxy.entries().isEmpty() ? text : text + ", no_proxy " + noProxy;
    }

    private static Optional<ProxyServer> fromEnvironment(Map<String, String> env, String name, List<String> problems) {
        Optional<Map.Entry<String, String>> set = firstSet(env, name);
        if (set.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProxyServer.parse(set.get().getValue(), set.get().getKey()));
        } catch (IllegalArgumentException e) {
            problems.add(set.get().getKey() + " is ignored: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The lower-case variable, else the upper-case one; an empty value is not set. */
    private static Optional<Map.Entry<String, String>> firstSet(Map<String, String> env, String lowerCase) {
        for (String name : List.of(lowerCase, lowerCase.toUpperCase(java.util.Locale.ROOT))) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(Map.entry(name, value));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code HttpProxy.Host} and {@code HttpProxy.Port} as the agent reads them: {@code key=value}
     * lines, {@code #} comments, quotes and {@code None} meaning unset.
     */
    private static Optional<ProxyServer> fromWaagentConf(Path file, List<String> problems) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            problems.add(file + " is not readable (" + e.getClass().getSimpleName() + "); its HttpProxy settings are ignored");
            return Optional.empty();
        }
        String host = null;
        String port = null;
        for (String line : lines) {
            int equals = line.indexOf('=');
            if (line.strip().startsWith("#") || equals < 0) {
                continue;
            }
            String key = line.substring(0, equals).strip();
            String value = line.substring(equals + 1);
            int comment = value.indexOf('#');
            value = (comment < 0 ? value : value.substring(0, comment)).strip().replace("\"", "").strip();
            if (value.isEmpty() || value.equals("None")) {
                value = null;
            }
            if (key.equals("HttpProxy.Host")) {
                host = value;
            } else if (key.equals("HttpProxy.Port")) {
                port = value;
            }
        }
        if (host == null) {
            return Optional.empty();
        }
        String source = "HttpProxy.Host in " + file;
        try {
            ProxyServer parsed = ProxyServer.parse(host, source);
            int number = port == null ? parsed.port() : Integer.parseInt(port);
            if (number < 1 || number > 65535) {
                throw new NumberFormatException();
            }
            return Optional.of(new ProxyServer(parsed.host(), number, parsed.credentials(), source));
        } catch (NumberFormatException e) {
            problems.add("HttpProxy.Port in " + file + " is not a port number: " + port);
        } catch (IllegalArgumentException e) {
            problems.add(source + " is ignored: " + e.getMessage());
        }
        return Optional.empty();
    }
}
