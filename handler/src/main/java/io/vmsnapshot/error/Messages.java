package io.vmsnapshot.error;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;

/**
 * Localized texts of the error catalogue: for each {@link ErrorCode} a message and a recommended
 * action, in the request's locale ({@code en-US} and {@code zh-CN}; anything else falls back to
 * English). The Chinese texts of the seed errors are the seed document's own.
 */
public final class Messages {
    /** Beside this class: messages.properties (English) and messages_zh_CN.properties, in UTF-8. */
    private static final String BUNDLE = "messages";

    private final ResourceBundle bundle;
    private final String languageTag;

    private Messages(ResourceBundle bundle, String languageTag) {
        this.bundle = bundle;
        this.languageTag = languageTag;
    }

    /** @param requestLocale the settings' {@code locale} field, e.g. {@code zh-CN}; null or blank means en-US */
    public static Messages forLocale(String requestLocale) {
        // The files themselves, not ResourceBundle.getBundle: its lookup machinery costs a short-lived
        // process some milliseconds more than reading the one or two files it would find.
        ResourceBundle english = TextBundle.load(BUNDLE + ".properties", null);
        return toLocale(requestLocale).equals(Locale.SIMPLIFIED_CHINESE)
                ? new Messages(TextBundle.load(BUNDLE + "_zh_CN.properties", english), "zh-CN")
                : new Messages(english, "en-US");
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
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
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

    /** A properties file of texts, falling back to its parent's for a key it lacks. */
    private static final class TextBundle extends PropertyResourceBundle {
        private TextBundle(InputStream in, ResourceBundle parent) throws IOException {
            super(in);
            if (parent != null) {
                setParent(parent);
            }
        }

        static ResourceBundle load(String name, ResourceBundle parent) {
            try (InputStream in = Messages.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new MissingResourceException("no " + name + " beside " + Messages.class.getName(),
                            Messages.class.getName(), name);
                }
                return new TextBundle(in, parent);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name + " beside " + Messages.class.getName(), e);
            }
        }
    }
}
