package io.vmsnapshot.json;

/**
 * The 1-based line and column of an index in a text, worked out only when an error is reported, so
 * that the reader need not count lines while it reads. A line ends at a carriage return, a line feed
 * or the pair of them, as an editor counts; a column counts characters (code points), not UTF-16
 * units; a byte-order mark at the start takes no column, as editors do not show it.
 */
final class TextPosition {
    private TextPosition() {
    }

    static MalformedJsonException error(String problem, CharSequence text, int index) {
        int line = 1;
        int lineStart = text.length() > 0 && text.charAt(0) == JsonReader.BYTE_ORDER_MARK ? 1 : 0;
        for (int i = lineStart; i < index; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        int column = 1 + Character.codePointCount(text, lineStart, Math.max(lineStart, index));
        return new MalformedJsonException(problem, line, column);
    }
}
