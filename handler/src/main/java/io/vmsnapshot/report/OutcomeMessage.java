package io.vmsnapshot.report;

import io.vmsnapshot.backup.BackupVerdict;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.status.StatusType;
import java.util.List;

/**
 * The human message of a backup's outcome, in the request's language: what happened, the
 * consistency reached, for every problem the seed's text, the specific detail and what to do, then
 * every warning ({@code BackupResult.warnings}: the portal shows this message, and a warning only in
 * the log is never read). Errors end with upstream's {@code StatusCode.<Name>,} which the service's
 * tooling greps for, so the warnings go before it.
 */
final class OutcomeMessage {
    private OutcomeMessage() {
    }

    static String of(BackupVerdict verdict, String detail, List<String> warnings, Messages messages) {
        return outcome(verdict, detail, messages, warnings(warnings, messages));
    }

    private static String outcome(BackupVerdict verdict, String detail, Messages messages, String warnings) {
        if (verdict.status() == StatusType.ERROR) {
            return messages.describe(verdict.code(), detail) + warnings + " StatusCode." + verdict.code().upstreamName()
                    + ",";
        }
        if (verdict.code() == ErrorCode.SUCCESS_APP_CONSISTENT) {
            return messages.message(ErrorCode.SUCCESS_APP_CONSISTENT) + warnings;
        }
        String text = messages.message(ErrorCode.SUCCESS) + " "
                + messages.text("consistency." + verdict.consistency().telemetryName());
        if (verdict.healthCode() != ErrorCode.SUCCESS) {
            text += " " + messages.describe(verdict.healthCode(), detail);
        }
        return text + warnings;
    }

    /** Each as " Warning: <sentence>." in the request's language; empty without any. */
    private static String warnings(List<String> warnings, Messages messages) {
        StringBuilder text = new StringBuilder();
        for (String warning : warnings) {
            String sentence = warning.strip();
            if (sentence.isEmpty()) {
                continue;
            }
            text.append(' ').append(messages.text("outcome.warning")).append(' ').append(sentence);
            if (".。!?".indexOf(sentence.charAt(sentence.length() - 1)) < 0) {
                text.append('.');
            }
        }
        return text.toString();
    }
}
