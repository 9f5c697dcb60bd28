package io.vmsnapshot.freeze;

/**
 * The escaping the kernel uses for paths in {@code /proc/self/mountinfo} ({@code \040} for a space,
 * also tab, newline and backslash); the freeze helper escapes paths in its output the same way, so a
 * mount point with a space stays one token on a line.
 */
final class OctalEscapes {
    private OctalEscapes() {
    }

    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
