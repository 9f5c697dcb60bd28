package io.vmsnapshot.report;

import io.vmsnapshot.backup.BackupVerdict;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.LocalizedNote;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.status.StatusType;
import java.util.Optional;

/**
 * The human message of a backup's outcome, in the request's language: what happened, the
 * consistency reached, and for every problem the seed's text, the specific detail and what to do.
 * Errors end with upstream's {@code StatusCode.<Name>,} which the service's tooling greps for.
 */
final class OutcomeMessage {
    private OutcomeMessage() {
    }

    static String of(BackupVerdict verdict, String detail, Messages messages) {
        return of(verdict, detail, Optional.empty(), messages);
    }

    /** With the window's note, if any, after the error's text (the thaw around a lost freeze helper). */
    static String of(BackupVerdict verdict, String detail, Optional<LocalizedNote> note, Messages messages) {
        if (verdict.status() == StatusType.ERROR) {
            return messages.describe(verdict.code(), detail) + note.map(n -> " " + messages.note(n)).orElse("")
                    + " StatusCode." + verdict.code().upstreamName() + ",";
        }
        if (verdict.code() == ErrorCode.SUCCESS_APP_CONSISTENT) {
            return messages.message(ErrorCode.SUCCESS_APP_CONSISTENT);
        }
        String text = messages.message(ErrorCode.SUCCESS) + " "
                + messages.text("consistency." + verdict.consistency().telemetryName());
        if (verdict.healthCode() != ErrorCode.SUCCESS) {
            text += " " + messages.describe(verdict.healthCode(), detail);
        }
        return text;
    }
}
