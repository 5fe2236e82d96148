package io.lanspread.itests.bench.lan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap a JVM uses, from {@code jcmd <pid> GC.heap_info} (the attach socket is a file in /tmp, which the
 * lab's namespaces share): the sum of the "used" of its heap lines (one for G1, one per generation
 * otherwise), in KiB. Costs a short jcmd JVM, so it is called once a round, after the timing.
 */
public final class JvmHeap {

    private static final Pattern HEAP_LINE = Pattern.compile("total (\\d+)K, used (\\d+)K");

    private JvmHeap() {
    }

    /** Heap used by the JVM {@code pid} in KiB, or -1 when jcmd cannot tell. */
    public static long usedKib(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process p = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            long used = 0;
            boolean any = false;
            for (String line : out.split("\n")) {
                Matcher m = HEAP_LINE.matcher(line);
                if (m.find() && !line.contains("Metaspace") && !line.contains("class space")) {
                    used += Long.parseLong(m.group(2));
                    any = true;
                }
            }
            return any ? used : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
