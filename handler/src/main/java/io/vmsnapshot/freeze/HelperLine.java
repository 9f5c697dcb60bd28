package io.vmsnapshot.freeze;

/**
 * One line the freeze helper prints (see the protocol at the top of vmsnapshot-freeze.c). Mount
 * paths arrive escaped as in mountinfo and are unescaped here.
 */
sealed interface HelperLine {
    record Ready(int count) implements HelperLine {
    }

    record Frozen(int count) implements HelperLine {
    }

    /** Printed before each FIFREEZE: when no answer follows, this is the mount whose freeze hangs. */
    record Freezing(String mount) implements HelperLine {
    }

    /** {@code code} 123: cannot open or not a mount point; 121: FIFREEZE failed; 2: usage. */
    record Error(int code, String mount, String text) implements HelperLine {
    }

    /** The thaw begins; {@code why} is request, timeout, parent-gone, signal-NAME, ... */
    record Thawing(String why) implements HelperLine {
    }

    record MountResult(String word, String mount, String text) implements HelperLine {
    }

    record Done(int thawed, int failed) implements HelperLine {
    }

    record Unknown(String line) implements HelperLine {
    }

    static HelperLine parse(String line) {
        String[] parts = line.split(" ", 4);
        try {
            switch (parts[0]) {
                case "ready":
                    return new Ready(Integer.parseInt(parts[1]));
                case "frozen":
                    return new Frozen(Integer.parseInt(parts[1]));
                case "freezing":
                    return new Freezing(OctalEscapes.unescape(line.split(" ", 2)[1]));
                case "error":
                    return new Error(Integer.parseInt(parts[1]), OctalEscapes.unescape(parts[2]),
                            parts.length > 3 ? parts[3] : "");
                case "thawing":
                    return new Thawing(parts.length > 1 ? line.substring("thawing ".length()) : "");
                case "thawed":
                case "not-frozen":
                case "gone":
                case "thaw-failed": {
                    String[] fields = line.split(" ", 3);
                    return new MountResult(fields[0], OctalEscapes.unescape(fields[1]),
                            fields.length > 2 ? fields[2] : "");
                }
                case "done":
                    return new Done(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                default:
                    return new Unknown(line);
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            return new Unknown(line);
        }
    }

    static ThawTrigger trigger(String why) {
        if (why.equals("request")) {
            return ThawTrigger.REQUEST;
        } else if (why.equals("timeout")) {
            return ThawTrigger.TIMEOUT;
        } else if (why.equals("parent-gone")) {
            return ThawTrigger.PARENT_GONE;
        } else if (why.startsWith("signal-")) {
            return ThawTrigger.SIGNAL;
        } else if (why.equals("protocol")) {
            return ThawTrigger.PROTOCOL;
        }
        return ThawTrigger.UNKNOWN;
    }
}
