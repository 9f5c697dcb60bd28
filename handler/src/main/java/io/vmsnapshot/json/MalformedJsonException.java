package io.vmsnapshot.json;

/**
 * A text that is not one JSON value (RFC 8259). The problem never quotes the text: a settings file
 * may hold a secret, so only its position is named.
 */
public final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String problem;
    private final int line;
    private final int column;

    /**
     * @param problem what is wrong, in words that quote nothing of the text
     * @param line    1-based line of the offending character
     * @param column  1-based column (in characters, that is code points; a byte-order mark first takes
     *                none) of the offending character, or one past the last character if the text ends early
     */
    public MalformedJsonException(String problem, int line, int column) {
        super(problem + " (line " + line + ", column " + column + ")");
        this.problem = problem;
        this.line = line;
        this.column = column;
    }

    public String problem() {
        return problem;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
