package io.vmsnapshot.workload;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The databases upstream's framework names in {@code workload_name}, with the client each one is reached by. */
public enum Database {
    MYSQL("mysql", "mysql", "root"),
    MARIADB("mariadb", "mariadb", "root"),
    POSTGRES("postgres", "psql", "postgres"),
    ORACLE("oracle", "sqlplus", "oracle");

    private final String configName;
    private final String client;
    private final String defaultUser;

    Database(String configName, String client, String defaultUser) {
        this.configName = configName;
        this.client = client;
        this.defaultUser = defaultUser;
    }

    /** The value of {@code workload_name}, e.g. {@code mysql}. */
    public String configName() {
        return configName;
    }

    /** The client program's name under {@code command_path} or on the fixed PATH. */
    public String client() {
        return client;
    }

    /** Whom the client runs as when {@code linux_user} is empty (upstream: root for all, which psql and sqlplus refuse). */
    public String defaultUser() {
        return defaultUser;
    }

    public static Optional<Database> named(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(d -> d.configName.equals(wanted)).findFirst();
    }
}
