package io.vmsnapshot.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomSettingsTest {
    @Test
    void parse_allFields_readsThem() throws Exception {
        CustomSettings settings = CustomSettings.parse("{\"takeSnapshotFrom\":\"firstHostThenGuest\","
                + "\"isManagedVm\":true,\"canTakeCrashConsistentSnapshot\":false,\"backupRetryCount\":\"3\","
                + "\"backupTaskId\":\"b-1\",\"waDiskLunList\":[1,\"2\"]}");

        assertEquals(new CustomSettings("firstHostThenGuest", true, false, 3, "b-1", List.of(1, 2)), settings);
    }

    @Test
    void parse_emptyObject_givesDefaults() throws Exception {
        assertEquals(new CustomSettings("", false, false, 0, "", List.of()), CustomSettings.parse("{}"));
    }

    @Test
    void parse_booleansAsStringsInAnyCase_areAccepted() throws Exception {
        CustomSettings settings = CustomSettings.parse("{\"isManagedVm\":\"True\",\"canTakeCrashConsistentSnapshot\":\"TRUE\"}");

        assertTrue(settings.isManagedVm() && settings.canTakeCrashConsistentSnapshot());
    }

    @Test
    void parse_notJson_isSettingsInvalid() {
        HandlerException e = assertThrows(HandlerException.class, () -> CustomSettings.parse("takeSnapshotFrom=x"));

        assertEquals(ErrorCode.SETTINGS_INVALID, e.errorCode());
        assertTrue(e.detail().contains("customSettings"), e.detail());
    }

    @Test
    void parse_jsonArray_isSettingsInvalid() {
        assertEquals(ErrorCode.SETTINGS_INVALID,
                assertThrows(HandlerException.class, () -> CustomSettings.parse("[1]")).errorCode());
    }

    @Test
    void parse_booleanThatIsNoBoolean_namesTheField() {
        HandlerException e = assertThrows(HandlerException.class,
                () -> CustomSettings.parse("{\"isManagedVm\":\"yes\"}"));

        assertTrue(e.detail().contains("'customSettings.isManagedVm'"), e.detail());
    }
}
