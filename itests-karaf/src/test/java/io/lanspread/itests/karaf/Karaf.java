package io.lanspread.itests.karaf;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One real Apache Karaf: a fresh copy of the unpacked distribution, its ports moved to free ones (SSH on
 * loopback, Pax Web on every address as Karaf ships it), Maven resolution offline, started with
 * {@code bin/karaf server} and driven with Karaf's client (what {@code bin/client} runs).
 */
final class Karaf implements AutoCloseable {

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    private static final Pattern CLIENT_JAR = Pattern.compile("\\$\\{KARAF_HOME\\}/(system/[^\":]+\\.jar)");
    private static final Pattern BUNDLE_ID = Pattern.compile("Bundle ID: (\\d+)");
    private static final Pattern THREAD = Pattern.compile("^\"([^\"]+)\"", Pattern.MULTILINE);
    /** A line of {@code ss -uapnH}: state, receive and send queues, then the local address:port. */
    private static final Pattern LOCAL_PORT = Pattern.compile("^\\S+\\s+\\d+\\s+\\d+\\s+\\S*:(\\d+)\\s");

    private final Path home;
    private final int sshPort;
    private final int httpPort;
    /** Put before every command that runs Karaf or its client (such as {@code ip netns exec NS}). */
    private final List<String> prefix;
    private Process process;
    private String clientClassPath;

    private Karaf(Path home, int sshPort, int httpPort, List<String> prefix) {
        this.home = home;
        this.sshPort = sshPort;
        this.httpPort = httpPort;
        this.prefix = List.copyOf(prefix);
    }

    /**
     * Copies {@code distribution} to {@code home} and configures it: the user karaf/karaf, free ports, and Maven
     * resolution from Karaf's own system/ folder, its KAR folder and {@code extraRepositories} (checked first,
     * never copied), then {@code localRepository} (read only: offline, no remote repositories).
     */
    static Karaf prepare(Path distribution, Path home, Path localRepository, List<Path> extraRepositories)
            throws IOException, InterruptedException {
        return prepare(distribution, home, localRepository, extraRepositories, List.of());
    }

    /** Like the above, for a Karaf whose JVM and client run under {@code prefix} (in a network namespace, say). */
    static Karaf prepare(Path distribution, Path home, Path localRepository, List<Path> extraRepositories,
            List<String> prefix) throws IOException, InterruptedException {
        exec(List.of("cp", "-a", distribution.toString(), home.toString()));
        exec(List.of("sh", "-c", "chmod +x '" + home + "'/bin/*"));
        Karaf karaf = new Karaf(home, freeTcpPort(), freeTcpPort(), prefix);
        karaf.configure(localRepository, extraRepositories);
        return karaf;
    }

    private void configure(Path localRepository, List<Path> extraRepositories) throws IOException {
        Path users = home.resolve("etc/users.properties");
        Files.writeString(users, Files.readString(users)
                .replace("#karaf = karaf,_g_:admingroup", "karaf = karaf,_g_:admingroup")
                .replace("#_g_\\:admingroup", "_g_\\:admingroup"));
        replaceInFile("etc/org.apache.karaf.shell.cfg", Map.of(
                "sshPort = 8101", "sshPort = " + sshPort, "sshHost = 0.0.0.0", "sshHost = 127.0.0.1"));
        replaceInFile("etc/org.apache.karaf.management.cfg", Map.of(
                "rmiRegistryPort = 1099", "rmiRegistryPort = " + freeTcpPort(),
                "rmiServerPort = 44444", "rmiServerPort = " + freeTcpPort()));
        // Pax Web keeps its default host 0.0.0.0: lanspread must then ask for its token
        writeConfig("org.ops4j.pax.web", Map.of("org.osgi.service.http.port", String.valueOf(httpPort)));
        mavenRepositories(localRepository, extraRepositories);
    }

    /** Rewrites Pax URL's configuration: Karaf picks it up while it runs. */
    void mavenRepositories(Path localRepository, List<Path> extraRepositories) throws IOException {
        List<String> defaults = new ArrayList<>(List.of(
                "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots",
                "${karaf.data.uri}kar@id=kar.repository@multi@snapshots"));
        for (int i = 0; i < extraRepositories.size(); i++) {
            defaults.add(extraRepositories.get(i).toUri() + "@id=test" + i + "@snapshots");
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("org.ops4j.pax.url.mvn.localRepository", localRepository.toString());
        config.put("org.ops4j.pax.url.mvn.offline", "true");
        config.put("org.ops4j.pax.url.mvn.useFallbackRepositories", "false");
        config.put("org.ops4j.pax.url.mvn.defaultRepositories", String.join(",", defaults));
        config.put("org.ops4j.pax.url.mvn.repositories", "");
        writeConfig("org.ops4j.pax.url.mvn", config);
    }

    private void replaceInFile(String file, Map<String, String> replacements) throws IOException {
        Path path = home.resolve(file);
        String text = Files.readString(path);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            if (!text.contains(r.getKey())) {
                throw new IllegalStateException(file + " lacks '" + r.getKey() + "'");
            }
            text = text.replace(r.getKey(), r.getValue());
        }
        Files.writeString(path, text);
    }

    /** Writes etc/PID.cfg whole (through a rename, so Karaf never reads half a file). */
    void writeConfig(String pid, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder();
        properties.forEach((k, v) -> text.append(k).append(" = ").append(v.replace("\\", "\\\\")).append('\n'));
        Path tmp = home.resolve("etc/." + pid + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, home.resolve("etc/" + pid + ".cfg"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    void start() throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(home.resolve("bin/karaf").toString(), "server"));
        ProcessBuilder builder = new ProcessBuilder(cmd)
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("karaf.out").toFile());
        // exec: the process is Karaf's JVM itself, whose threads and sockets the test inspects
        builder.environment().put("KARAF_EXEC", "exec");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = builder.start();
    }

    /**
     * Runs shell commands through Karaf's client in one batch (which stops at the first failing command): the
     * JVM bin/client starts, on bin/client's class path, without the script's JVM version probes and with
     * a quick-start JIT (the test runs dozens of commands).
     */
    String run(String... commands) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dkaraf.home=" + home, "-Dkaraf.base=" + home,
                "-Dkaraf.etc=" + home.resolve("etc"), "-classpath", clientClassPath(),
                "org.apache.karaf.client.Main", "-a", String.valueOf(sshPort), "-h", "127.0.0.1",
                "-u", "karaf", "-p", "karaf", "-b"));
        Process client = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
        client.getOutputStream().write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        byte[] out = client.getInputStream().readAllBytes();
        if (!client.waitFor(60, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new IOException("Karaf's client did not end within 60 s: " + List.of(commands));
        }
        return ANSI.matcher(new String(out, StandardCharsets.UTF_8)).replaceAll("");
    }

    /** The jars bin/client puts on its class path ({@code ${KARAF_HOME}/system/...}). */
    private String clientClassPath() throws IOException {
        if (clientClassPath == null) {
            Matcher m = CLIENT_JAR.matcher(Files.readString(home.resolve("bin/client")));
            List<String> jars = new ArrayList<>();
            while (m.find()) {
                jars.add(home.resolve(m.group(1)).toString());
            }
            if (jars.isEmpty()) {
                throw new IOException("no class path found in bin/client");
            }
            clientClassPath = String.join(java.io.File.pathSeparator, jars);
        }
        return clientClassPath;
    }

    /** Like {@link #run}, failing when a command failed. */
    String runOk(String... commands) throws IOException, InterruptedException {
        String out = run(commands);
        if (out.contains("Error executing command") || out.contains("Command not found")) {
            throw new AssertionError("Karaf refused " + List.of(commands) + ":\n" + out);
        }
        return out;
    }

    /**
     * Installs and starts a bundle from a jar (a third party's extension, say) with {@code bundle:install -s};
     * returns its bundle id. Whether it became Active is the caller's check ({@code bundle:list}).
     */
    long installBundle(Path jar) throws IOException, InterruptedException {
        String out = runOk("bundle:install -s " + jar.toUri());
        Matcher id = BUNDLE_ID.matcher(out);
        if (!id.find()) {
            throw new AssertionError("bundle:install named no bundle id:\n" + out);
        }
        return Long.parseLong(id.group(1));
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    int httpPort() {
        return httpPort;
    }

    Path home() {
        return home;
    }

    /** Every thread of Karaf's JVM by name (jstack). */
    List<String> threadNames() throws IOException, InterruptedException {
        String dump = exec(List.of("jstack", String.valueOf(pid())));
        List<String> names = new ArrayList<>();
        Matcher m = THREAD.matcher(dump);
        while (m.find()) {
            names.add(m.group(1));
        }
        if (names.isEmpty()) {
            throw new IOException("jstack showed no threads:\n" + dump);
        }
        return names;
    }

    /** The local ports of every UDP socket Karaf's JVM holds (ss, in Karaf's network namespace). */
    Set<Integer> udpPorts() throws IOException, InterruptedException {
        String marker = "pid=" + pid() + ",";
        List<String> ss = new ArrayList<>(prefix);
        ss.addAll(List.of("ss", "-uapnH"));
        return exec(ss).lines().filter(l -> l.contains(marker)).map(l -> {
            Matcher m = LOCAL_PORT.matcher(l);
            if (!m.find()) {
                throw new IllegalStateException("cannot read ss line: " + l);
            }
            return Integer.parseInt(m.group(1));
        }).collect(Collectors.toCollection(TreeSet::new));
    }

    String logTail() {
        Path log = home.resolve("data/log/karaf.log");
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of("(no karaf.log)");
            return "karaf.log (last lines):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(karaf.log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    static String exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command + " failed: " + out);
        }
        return out;
    }
}
