package io.vmsnapshot.pluginhost;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.Precheck;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of an inspection in the order found, so one bad entry never hides the next. */
final class Findings {
    private final List<Finding> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void error(ErrorCode code, String detail) {
        errors.add(new Finding(code, detail));
    }

    void error(HandlerException failure) {
        error(failure.errorCode(), failure.detail());
    }

    void warn(String text) {
        warnings.add(text);
    }

    /** Not a problem: how a valid setup is carried out (see {@link Precheck#notes()}). */
    void note(String text) {
        notes.add(text);
    }

    int errorCount() {
        return errors.size();
    }

    List<Finding> errors() {
        return List.copyOf(errors);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }
}
