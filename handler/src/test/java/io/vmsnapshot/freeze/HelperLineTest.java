package io.vmsnapshot.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HelperLineTest {
    @Test
    void parse_readsEveryLineOfTheProtocol() {
        assertEquals(new HelperLine.Ready(2), HelperLine.parse("ready 2"));
        assertEquals(new HelperLine.Frozen(2), HelperLine.parse("frozen 2"));
        assertEquals(new HelperLine.Freezing("/mnt/my data"), HelperLine.parse("freezing /mnt/my\\040data"));
        assertEquals(new HelperLine.Thawing("signal-TERM"), HelperLine.parse("thawing signal-TERM"));
        assertEquals(new HelperLine.MountResult("thawed", "/data", ""), HelperLine.parse("thawed /data"));
        assertEquals(new HelperLine.MountResult("thaw-failed", "/data", "Input/output error"),
                HelperLine.parse("thaw-failed /data Input/output error"));
        assertEquals(new HelperLine.Done(1, 1), HelperLine.parse("done 1 1"));
    }

    @Test
    void parse_errorKeepsCodeUnescapedMountAndText() {
        assertEquals(new HelperLine.Error(121, "/mnt/my disk", "Device or resource busy"),
                HelperLine.parse("error 121 /mnt/my\\040disk Device or resource busy"));
    }

    @Test
    void parse_whenLineIsMalformed_isUnknown() {
        assertEquals(new HelperLine.Unknown("ready"), HelperLine.parse("ready"));
        assertEquals(new HelperLine.Unknown("frozen x"), HelperLine.parse("frozen x"));
        assertEquals(new HelperLine.Unknown("hello"), HelperLine.parse("hello"));
    }

    @Test
    void trigger_mapsTheHelpersReasons() {
        assertEquals(ThawTrigger.REQUEST, HelperLine.trigger("request"));
        assertEquals(ThawTrigger.TIMEOUT, HelperLine.trigger("timeout"));
        assertEquals(ThawTrigger.PARENT_GONE, HelperLine.trigger("parent-gone"));
        assertEquals(ThawTrigger.SIGNAL, HelperLine.trigger("signal-HUP"));
        assertEquals(ThawTrigger.UNKNOWN, HelperLine.trigger("freeze-failed"));
    }
}
