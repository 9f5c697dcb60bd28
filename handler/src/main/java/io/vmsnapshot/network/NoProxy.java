package io.vmsnapshot.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts that bypass the proxy, as {@code no_proxy} names them: comma-separated host names
 * (each also covers its subdomains; a leading {@code .} or {@code *.} is the same), IPv4 and IPv6
 * addresses, IPv4 networks in CIDR form (as the agent's own {@code bypass_proxy}), and {@code *}
 * for every host. A {@code :port} after a name is ignored: the port never decides.
 */
public record NoProxy(List<String> entries) {
    public static final NoProxy NONE = new NoProxy(List.of());
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public NoProxy {
        entries = List.copyOf(entries);
    }

    static NoProxy parse(String value) {
        List<String> entries = new ArrayList<>();
        for (String part : value.split("[,\\s]+")) {
            String entry = part.strip().toLowerCase(Locale.ROOT);
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return new NoProxy(entries);
    }

    /** @param host a URI's host, IPv6 literals with or without brackets */
    public boolean matches(String host) {
        String name = ProxyServer.unbracketed(host.toLowerCase(Locale.ROOT));
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        for (String entry : entries) {
            if (entry.equals("*") || matches(name, entry)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String host, String entry) {
        if (entry.contains("/")) {
            return IPV4.matcher(host).matches() && inNetwork(host, entry);
        }
        String pattern = ProxyServer.unbracketed(withoutPort(entry));
        if (pattern.startsWith("*.")) {
            pattern = pattern.substring(2);
        } else if (pattern.startsWith(".")) {
            pattern = pattern.substring(1);
        }
        return !pattern.isEmpty() && (host.equals(pattern) || (host.endsWith("." + pattern) && !isAddress(host)));
    }

    private static String withoutPort(String entry) {
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            return close < 0 ? entry : entry.substring(0, close + 1);
        }
        int colon = entry.indexOf(':');
        // More than one colon: a bare IPv6 address, not name:port.
        return colon >= 0 && entry.indexOf(':', colon + 1) < 0 ? entry.substring(0, colon) : entry;
    }

    private static boolean isAddress(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    private static boolean inNetwork(String address, String cidr) {
        String[] parts = cidr.split("/", 2);
        if (!IPV4.matcher(parts[0]).matches()) {
            return false;
        }
        int bits;
        try {
            bits = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        if (bits < 0 || bits > 32) {
            return false;
        }
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (ipv4(address) & mask) == (ipv4(parts[0]) & mask);
    }

    private static long ipv4(String address) {
        long value = 0;
        for (String octet : address.split("\\.")) {
            value = (value << 8) | (Integer.parseInt(octet) & 0xFF);
        }
        return value;
    }

    @Override
    public String toString() {
        return entries.isEmpty() ? "none" : String.join(",", entries);
    }
}
