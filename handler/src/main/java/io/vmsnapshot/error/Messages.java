package io.vmsnapshot.error;

import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Localized texts of the error catalogue: for each {@link ErrorCode} a message and a recommended
 * action, in the request's locale ({@code en-US} and {@code zh-CN}; anything else falls back to
 * English). The Chinese texts of the seed errors are the seed document's own.
 */
public final class Messages {
    private final String languageTag;
    private final boolean chinese;

    private Messages(String languageTag, boolean chinese) {
        this.languageTag = languageTag;
        this.chinese = chinese;
    }

    /** @param requestLocale the settings' {@code locale} field, e.g. {@code zh-CN}; null or blank means en-US */
    public static Messages forLocale(String requestLocale) {
        return toLocale(requestLocale).equals(Locale.SIMPLIFIED_CHINESE)
                ? new Messages("zh-CN", true)
                : new Messages("en-US", false);
    }

    private static Locale toLocale(String requestLocale) {
        if (requestLocale == null || requestLocale.isBlank()) {
            return Locale.US;
        }
        Locale locale = Locale.forLanguageTag(requestLocale.trim().replace('_', '-'));
        return locale.getLanguage().equals("zh") ? Locale.SIMPLIFIED_CHINESE : Locale.US;
    }

    /** The language tag to put in {@code formattedMessage.lang}. */
    public String languageTag() {
        return languageTag;
    }

    public String message(ErrorCode code) {
        return text(code.name() + ".message");
    }

    public String action(ErrorCode code) {
        return text(code.name() + ".action");
    }

    /** Any other localized text of the handler, by key. */
    public String text(String key) {
        Objects.requireNonNull(key, "key");
        // The texts are read at the first one asked for (enable decides its request's language before
        // it needs one), once per process.
        String text = (chinese ? ChineseTexts.TEXTS : EnglishTexts.TEXTS).get(key);
        return text == null ? key : text;
    }

    /** A localized text with {@code {0}}-style arguments ({@link MessageFormat}: a literal quote is written {@code ''}). */
    public String format(String key, Object... arguments) {
        return new MessageFormat(text(key), Locale.ROOT).format(arguments);
    }

    /** "Name: message Detail. Action." — the line an operator reads in the status and the log. */
    public String describe(ErrorCode code, String detail) {
        StringBuilder text = new StringBuilder(code.displayName()).append(": ").append(message(code));
        if (detail != null && !detail.isBlank()) {
            String sentence = detail.strip();
            // Details often end in a path or an exit code; without a stop they run into the action.
            text.append(' ').append(sentence).append(".。!?".indexOf(sentence.charAt(sentence.length() - 1)) < 0 ? "." : "");
        }
        String action = action(code);
        if (!action.isBlank() && !action.equals(code.name() + ".action")) {
            text.append(' ').append(action);
        }
        return text.toString();
    }

    /** Beside this class, in UTF-8: the English texts, read when a text is first asked for. */
    private static final class EnglishTexts {
        static final Map<String, String> TEXTS = Map.copyOf(MessageFile.read("messages.properties"));
    }

    /** The Chinese texts, falling back to the English ones for a key they lack. */
    private static final class ChineseTexts {
        static final Map<String, String> TEXTS = withFallback(MessageFile.read("messages_zh_CN.properties"));

        private static Map<String, String> withFallback(Map<String, String> chinese) {
            Map<String, String> merged = new HashMap<>(EnglishTexts.TEXTS);
            merged.putAll(chinese);
            return Map.copyOf(merged);
        }
    }
}
