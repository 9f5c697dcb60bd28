package io.vmsnapshot.network;

import java.util.Objects;

/** The user and password of a proxy URL ({@code http://user:pass@proxy:3128}); never printed. */
public record ProxyCredentials(String user, String password) {
    public ProxyCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "ProxyCredentials[user=<hidden>, password=<hidden>]";
    }
}
