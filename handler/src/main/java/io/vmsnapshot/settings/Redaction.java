package io.vmsnapshot.settings;

/** How the settings records show secrets in {@code toString}: never the value itself. */
final class Redaction {
    private Redaction() {
    }

    /** A URI without its query string, where a SAS signature lives. */
    static String uri(String uri) {
        if (uri.isEmpty()) {
            return "<absent>";
        }
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query) + "?<redacted>";
    }

    static String secret(String value) {
        return value.isEmpty() ? "<absent>" : "<redacted>";
    }
}
