package io.vmsnapshot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputPumpTest {
    private static List<String> pump(byte[] input, List<String> sink, int tail) {
        OutputPump pump = new OutputPump(new ByteArrayInputStream(input), sink::add, tail);
        pump.run();
        assertTrue(pump.endOfFile().isDone());
        return pump.tail();
    }

    @Test
    void run_splitsLinesAndKeepsAnUnterminatedLastLine() {
        List<String> lines = new ArrayList<>();
        pump("a\r\nb\n\nc".getBytes(StandardCharsets.UTF_8), lines, 20);

        assertEquals(List.of("a", "b", "", "c"), lines);
    }

    @Test
    void run_longLine_isSplitAtTheLimit() {
        List<String> lines = new ArrayList<>();
        pump(("x".repeat(OutputPump.MAX_LINE_BYTES * 2 + 5) + "\n").getBytes(StandardCharsets.UTF_8), lines, 20);

        assertEquals(3, lines.size());
        assertEquals(OutputPump.MAX_LINE_BYTES, lines.get(0).length());
        assertEquals(5, lines.get(2).length());
    }

    @Test
    void run_binaryGarbage_survivesAsReplacementCharacters() {
        List<String> lines = new ArrayList<>();
        pump(new byte[] {'o', 'k', (byte) 0xff, (byte) 0xc3, 0, '\n', 'z'}, lines, 20);

        assertEquals(List.of("ok\uFFFD\uFFFD\u0000", "z"), lines);
    }

    @Test
    void tail_keepsOnlyTheLastLines() {
        List<String> tail = pump("1\n2\n3\n4\n".getBytes(StandardCharsets.UTF_8), new ArrayList<>(), 2);

        assertEquals(List.of("3", "4"), tail);
    }

    @Test
    void run_sinkThatThrows_doesNotStopTheDraining() {
        OutputPump pump = new OutputPump(new ByteArrayInputStream("1\n2\n3\n".getBytes(StandardCharsets.UTF_8)),
                line -> {
                    throw new IllegalStateException("broken");
                }, 5);
        pump.run();

        assertEquals(List.of("1", "2", "3"), pump.tail());
    }
}
