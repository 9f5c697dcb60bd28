package io.vmsnapshot.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandlerEnvironmentReaderTest {
    private static final String NAME = "Microsoft.Azure.RecoveryServices.VMSnapshotLinux";
    private static final String BASE = "/var/lib/waagent/" + NAME + "-1.0.9184.0";
    /** The agent's exact output (docs/agent-contract.md §2). */
    private static final String AGENT_FILE = "[{\"name\": \"" + NAME + "\", \"version\": 1.0, \"handlerEnvironment\": {"
            + "\"logFolder\": \"/var/log/azure/" + NAME + "\", "
            + "\"configFolder\": \"" + BASE + "/config\", "
            + "\"statusFolder\": \"" + BASE + "/status\", "
            + "\"heartbeatFile\": \"" + BASE + "/heartbeat.log\", "
            + "\"eventsFolder\": \"/var/log/azure/" + NAME + "/events\", "
            + "\"eventsFolder_preview\": \"/var/log/azure/" + NAME + "/events\"}}]";

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path file = fs.getPath("/base/HandlerEnvironment.json");
    private final HandlerEnvironmentReader reader = new HandlerEnvironmentReader();

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void read_agentArray_returnsAllPaths() throws Exception {
        write(AGENT_FILE);

        HandlerEnvironment environment = reader.read(file);

        assertEquals(NAME, environment.name());
        assertEquals(fs.getPath("/var/log/azure/" + NAME), environment.logFolder());
        assertEquals(fs.getPath(BASE + "/config"), environment.configFolder());
        assertEquals(fs.getPath(BASE + "/status"), environment.statusFolder());
        assertEquals(fs.getPath(BASE + "/heartbeat.log"), environment.heartbeatFile());
        assertEquals(Optional.of(fs.getPath("/var/log/azure/" + NAME + "/events")), environment.eventsFolder());
    }

    @Test
    void read_bareObject_isAcceptedAsUpstreamDoes() throws Exception {
        write(AGENT_FILE.substring(1, AGENT_FILE.length() - 1));

        assertEquals(fs.getPath(BASE + "/status"), reader.read(file).statusFolder());
    }

    @Test
    void read_withoutEventsFolder_hasNoEventsFolder() throws Exception {
        write("[{\"name\":\"n\",\"handlerEnvironment\":{\"logFolder\":\"/l\",\"configFolder\":\"/c\","
                + "\"statusFolder\":\"/s\",\"heartbeatFile\":\"/h\"}}]");

        assertEquals(Optional.empty(), reader.read(file).eventsFolder());
    }

    @Test
    void read_missingFile_isInvalidAndNamesTheFile() {
        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(file));

        assertEquals(ErrorCode.HANDLER_ENVIRONMENT_INVALID, e.errorCode());
        assertTrue(e.detail().contains(file.toString()), e.detail());
    }

    @Test
    void read_badJson_isInvalid() throws Exception {
        write("[{\"name\": ");

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(file));

        assertEquals(ErrorCode.HANDLER_ENVIRONMENT_INVALID, e.errorCode());
        assertTrue(e.detail().contains("not valid JSON"), e.detail());
    }

    @Test
    void read_emptyArray_isInvalid() throws Exception {
        write("[]");

        assertEquals(ErrorCode.HANDLER_ENVIRONMENT_INVALID,
                assertThrows(HandlerException.class, () -> reader.read(file)).errorCode());
    }

    @Test
    void read_missingStatusFolder_namesTheField() throws Exception {
        write(AGENT_FILE.replace("\"statusFolder\"", "\"statusFolderX\""));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(file));

        assertTrue(e.detail().contains("handlerEnvironment.statusFolder"), e.detail());
        assertTrue(e.detail().contains(file.toString()), e.detail());
    }

    @Test
    void read_relativeConfigFolder_namesTheFieldAndValue() throws Exception {
        write(AGENT_FILE.replace("\"" + BASE + "/config\"", "\"config\""));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(file));

        assertEquals(ErrorCode.HANDLER_ENVIRONMENT_INVALID, e.errorCode());
        assertTrue(e.detail().contains("handlerEnvironment.configFolder") && e.detail().contains("absolute"), e.detail());
    }

    @Test
    void read_relativeEventsFolder_isInvalid() throws Exception {
        write(AGENT_FILE.replace("\"eventsFolder\": \"/var", "\"eventsFolder\": \"var"));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(file));

        assertTrue(e.detail().contains("handlerEnvironment.eventsFolder"), e.detail());
    }

    @Test
    void read_missingName_isInvalid() throws Exception {
        write(AGENT_FILE.replace("\"name\"", "\"nom\""));

        HandlerException e = assertThrows(HandlerException.class, () -> reader.read(file));

        assertTrue(e.detail().contains("'name'"), e.detail());
    }

    private void write(String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
