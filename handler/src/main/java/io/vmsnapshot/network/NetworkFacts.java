package io.vmsnapshot.network;

import io.vmsnapshot.error.Messages;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code check} says about the network: the proxy each kind of call takes, and the CA store
 * a TLS call would trust. Read from the environment {@code check} runs in, which is the operator's
 * shell, not the agent's service: the last line says so.
 */
public final class NetworkFacts {
    /** A properties file drops a value's leading blanks: the indent of the details is added here. */
    private static final String INDENT = "  ";
    private final ProxyConfig proxies;
    private final URI wireServer;
    private final CaStore caStore;
    private final Supplier<List<X509Certificate>> bundled;

    public NetworkFacts(ProxyConfig proxies, URI wireServer, CaStore caStore, Supplier<List<X509Certificate>> bundled) {
        this.proxies = Objects.requireNonNull(proxies, "proxies");
        this.wireServer = Objects.requireNonNull(wireServer, "wireServer");
        this.caStore = Objects.requireNonNull(caStore, "caStore");
        this.bundled = Objects.requireNonNull(bundled, "bundled");
    }

    public List<String> lines(Messages messages) {
        List<String> lines = new ArrayList<>();
        lines.add(messages.text("check.network"));
        lines.add(INDENT + format(messages, "check.network.https", route(messages, proxies.https())));
        lines.add(INDENT + format(messages, "check.network.http", route(messages, proxies.http())));
        if (!proxies.noProxy().entries().isEmpty()) {
            lines.add(INDENT + format(messages, "check.network.noProxy", proxies.noProxy().toString()));
        }
        lines.add(INDENT + format(messages, "check.network.host", wireServer.toString()));
        proxies.problems().forEach(p -> lines.add(INDENT + format(messages, "check.network.problem", p)));
        lines.add(INDENT + messages.text("check.network.environment"));
        CaStore.Contents os = caStore.read();
        int roots = bundled.get().size();
        lines.add(os.path().isPresent()
                ? format(messages, "check.trust", os.path().get().toString(), String.valueOf(os.certificates().size()), String.valueOf(roots))
                : format(messages, "check.trust.none", String.valueOf(roots)));
        os.problems().forEach(p -> lines.add(INDENT + format(messages, "check.network.problem", p)));
        return lines;
    }

    private static String route(Messages messages, Optional<ProxyServer> proxy) {
        return proxy.map(p -> format(messages, "check.network.proxy", p.describe()))
                .orElseGet(() -> messages.text("check.network.direct"));
    }

    private static String format(Messages messages, String key, Object... arguments) {
        return new MessageFormat(messages.text(key), java.util.Locale.ROOT).format(arguments);
    }
}
