package io.vmsnapshot.json;

/**
 * Names the kind of a character found where it does not belong. A problem never quotes the text (a
 * settings file may hold a secret), so it names the character's class instead; JSON's own
 * punctuation is named by its role, which tells the reader what the parser saw.
 */
final class CharacterKind {
    private CharacterKind() {
    }

    static String describe(char c) {
        String punctuation = switch (c) {
            case '{' -> "an opening brace";
            case '}' -> "a closing brace";
            case '[' -> "an opening bracket";
            case ']' -> "a closing bracket";
            case ',' -> "a comma";
            case ':' -> "a colon";
            case '"' -> "a double quote";
            case '\'' -> "a single quote (JSON strings take double quotes)";
            case '/', '#' -> "a comment sign (JSON has no comments)";
            case '.' -> "a decimal point";
            case '-' -> "a minus sign";
            case '+' -> "a plus sign";
            case ' ' -> "a space";
            case JsonReader.BYTE_ORDER_MARK -> "a byte-order mark (allowed only at the very start)";
            default -> null;
        };
        if (punctuation != null) {
            return punctuation;
        }
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
            return "a control character";
        }
        if (c >= '0' && c <= '9') {
            return "a digit";
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return "a letter";
        }
        if (c < 0x80) {
            return "a punctuation character";
        }
        if (Character.isSpaceChar(c)) {
            return "a space other than space, tab, line feed or carriage return";
        }
        return Character.isLetterOrDigit(c) ? "a non-ASCII letter or digit" : "a non-ASCII character";
    }
}
