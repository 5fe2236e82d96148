package io.lanspread.itests.extension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.LabPeer;

/**
 * The Gogo shell of a {@code ./lanspread --console} peer in the lab, typed on its stdin, and its log file
 * ({@code <state>/lanspread.log}, where the log goes with {@code --console}): what an operator has at hand.
 */
final class Console {

    private final LabPeer peer;
    private int marks;

    Console(LabPeer peer) {
        this.peer = peer;
    }

    /** Types {@code command}, then an echo of a fresh marker; returns what the shell printed in between. */
    String answer(String command) throws IOException {
        String marker = "--end-of-answer-" + (++marks) + "--";
        // the last line may be a prompt without its newline yet, which the answer continues: look at it again
        int from = Math.max(0, peer.logLineCount() - 1);
        peer.console(command);
        peer.console("echo " + marker);
        peer.awaitOutput(from, Pattern.quote(marker), Duration.ofSeconds(30));
        StringBuilder out = new StringBuilder();
        for (String line : peer.logText().lines().skip(from).toList()) {
            if (line.contains(marker)) {
                break;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** Installs the jar and starts it, both from the shell; returns the bundle id. */
    long installAndStart(Path jar) throws IOException {
        answer("install \"" + jar.toUri() + "\"");
        long id = bundleId().orElseThrow(() -> new AssertionError("not installed: " + jar));
        answer("start " + id);
        return id;
    }

    /** The extension's bundle id as {@code lb -s} lists it, or empty when it is not installed. */
    java.util.Optional<Long> bundleId() throws IOException {
        return bundleId(ExtrasBundle.BSN);
    }

    java.util.Optional<Long> bundleId(String symbolicName) throws IOException {
        Matcher m = lbLine(symbolicName);
        return m == null ? java.util.Optional.empty() : java.util.Optional.of(Long.parseLong(m.group(1)));
    }

    /** The extension's state as {@code lb -s} prints it (Active, Resolved, ...), or "not installed". */
    String bundleState() throws IOException {
        return bundleState(ExtrasBundle.BSN);
    }

    String bundleState(String symbolicName) throws IOException {
        Matcher m = lbLine(symbolicName);
        return m == null ? "not installed" : m.group(2);
    }

    private Matcher lbLine(String symbolicName) throws IOException {
        String out = answer("lb -s " + symbolicName);
        Matcher m = Pattern.compile("(\\d+)\\s*\\|\\s*(\\w+)\\s*\\|\\s*\\d+\\s*\\|\\s*"
                + Pattern.quote(symbolicName) + "\\s").matcher(out);
        return m.find() ? m : null;
    }

    /**
     * Sets properties of the Config Admin configuration {@code pid} through the shell (Gogo calls Config Admin
     * like any Java code; Felix has no config command): {@code put} values are set, keys in {@code remove} dropped;
     * with {@code create} it starts from no properties (a configuration that does not exist yet). Returns the
     * configuration's properties as the shell prints them afterwards.
     */
    String configure(String pid, boolean create, Map<String, String> put, List<String> remove) throws IOException {
        answer("cfgCm = $.context getService ($.context getServiceReference org.osgi.service.cm.ConfigurationAdmin)");
        answer("cfg = $cfgCm getConfiguration " + pid + " \"?\"");
        answer(create ? "cfgProps = new java.util.Hashtable" : "cfgProps = $cfg getProperties");
        for (Map.Entry<String, String> e : put.entrySet()) {
            answer("$cfgProps put " + e.getKey() + " \"" + e.getValue() + "\"");
        }
        for (String key : remove) {
            answer("$cfgProps remove " + key);
        }
        answer("$cfg update $cfgProps");
        return answer("echo CONFIG (($cfgCm getConfiguration " + pid + " \"?\") getProperties)");
    }

    /** The lines of the peer's log file so far. */
    List<String> logLines() {
        Path file = peer.home().resolve("state").resolve("lanspread.log");
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList()
                    : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Waits for a log-file line after line {@code from} matching {@code regex}; returns its match. */
    Matcher awaitLog(int from, String regex, int seconds) {
        Pattern p = Pattern.compile(regex);
        try {
            return Conditions.awaitValue("a log line of " + peer.name() + " matching '" + regex + "'", seconds, () -> {
                List<String> lines = logLines();
                for (int i = from; i < lines.size(); i++) {
                    Matcher m = p.matcher(lines.get(i));
                    if (m.find()) {
                        return m;
                    }
                }
                return null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; log since line " + from + ":\n"
                    + String.join("\n", logLines().stream().skip(from).toList()), e);
        }
    }

    /** The index of the first log-file line after {@code from} matching {@code regex}, or -1. */
    int lineOf(int from, String regex) {
        Pattern p = Pattern.compile(regex);
        List<String> lines = logLines();
        for (int i = from; i < lines.size(); i++) {
            if (p.matcher(lines.get(i)).find()) {
                return i;
            }
        }
        return -1;
    }
}
