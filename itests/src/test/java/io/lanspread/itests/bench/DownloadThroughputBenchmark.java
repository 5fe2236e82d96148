package io.lanspread.itests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.lanspread.itests.support.Conditions;
import io.lanspread.itests.support.FileTrees;
import io.lanspread.itests.support.PeerProcess;

/**
 * One-source download throughput of two real {@code ./lanspread} peers on loopback, printed as a ratio
 * against a plain TCP copy of the same file over loopback (sendfile out, read into a file, fsync)
 * measured in the same run. Not part of the normal build (the name does not end in IT); see
 * docs/benchmarks.md for the command.
 */
class DownloadThroughputBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int MIB = Integer.getInteger("bench.mib", 512);

    @Test
    void oneSourceDownloadAgainstAPlainTcpCopy() throws Exception {
        Path work = Files.createTempDirectory("lanspread-throughput");
        List<Double> tcp = new ArrayList<>();
        List<Double> quic = new ArrayList<>();
        try {
            Path seederHome = Files.createDirectories(work.resolve("seeder"));
            Path game = Files.createDirectories(seederHome.resolve("games/big"));
            Path data = game.resolve("data.bin");
            writeRandom(data, (long) MIB << 20);
            Files.writeString(game.resolve("version.ini"), "version=1\n");
            for (int i = 0; i < ROUNDS; i++) {
                tcp.add(tcpCopy(data, work.resolve("tcp-copy.bin")));
            }
            try (PeerProcess seeder = PeerProcess.start(seederHome, "seeder", "--no-mdns").awaitReady(120);
                    PeerProcess leecher = PeerProcess.start(Files.createDirectories(work.resolve("leecher")), "leecher",
                            "--no-mdns", "--peer", "127.0.0.1:" + seeder.quicPort()).awaitReady(120)) {
                for (int i = 0; i < ROUNDS; i++) {
                    quic.add(download(leecher, work.resolve("leecher/games/big")));
                }
            }
        } finally {
            FileTrees.delete(work);
        }
        String report = report(tcp, quic);
        System.out.println(report);
        Path out = Paths.get("target", "benchmarks", "download-throughput.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        assertThat(quic).allMatch(v -> v > 0);
    }

    /** MiB/s of one download of the game "big", after which the copy is removed again. */
    private static double download(PeerProcess leecher, Path copy) throws Exception {
        Conditions.awaitValue("the game listed as remote only", 30, () -> {
            for (JsonNode g : leecher.get("/api/games")) {
                if (g.get("id").asText().equals("big") && !g.get("local").asBoolean()) {
                    return g;
                }
            }
            return null;
        });
        long start = System.nanoTime();
        String id = PeerProcess.parse(leecher.request("POST", "/api/games/big/download").body()).get("id").asText();
        JsonNode done = Conditions.awaitValue("download to end", 600, () -> {
            for (JsonNode d : leecher.get("/api/downloads")) {
                if (d.get("id").asText().equals(id) && !d.get("state").asText().equals("RUNNING")) {
                    return d;
                }
            }
            return null;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("FINISHED");
        FileTrees.delete(copy);
        return MIB / seconds;
    }

    /** MiB/s of a plain TCP copy over loopback: sendfile out, read into a file, fsync. */
    private static double tcpCopy(Path source, Path target) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                        FileChannel in = FileChannel.open(source)) {
                    long size = in.size();
                    long sent = 0;
                    while (sent < size) {
                        sent += in.transferTo(sent, size - sent, java.nio.channels.Channels.newChannel(s.getOutputStream()));
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket s = server.accept(); InputStream in = s.getInputStream();
                    FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[1 << 20];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(java.nio.ByteBuffer.wrap(buf, 0, n));
                }
                out.force(true);
            }
            send.join();
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(Files.size(target)).isEqualTo(Files.size(source));
            Files.delete(target);
            return MIB / seconds;
        }
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        Random random = new Random(1);
        byte[] block = new byte[1 << 20];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long written = 0; written < bytes; written += block.length) {
                random.nextBytes(block);
                out.write(java.nio.ByteBuffer.wrap(block, 0, (int) Math.min(block.length, bytes - written)));
            }
        }
    }

    private static String report(List<Double> tcp, List<Double> quic) {
        double baseline = median(tcp);
        StringBuilder r = new StringBuilder();
        r.append("lanspread download throughput, ").append(ZonedDateTime.now()).append(", ").append(MIB)
                .append(" MiB, ").append(ROUNDS).append(" rounds, ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs, loopback\n\n");
        r.append(String.format("baseline: plain TCP copy (MiB/s)       min %7.1f  median %7.1f  max %7.1f%n",
                Collections.min(tcp), baseline, Collections.max(tcp)));
        r.append(String.format("lanspread, one source (MiB/s)          min %7.1f  median %7.1f  max %7.1f%n",
                Collections.min(quic), median(quic), Collections.max(quic)));
        r.append(String.format("ratio to the TCP median                min  x%.2f  median  x%.2f  max  x%.2f%n",
                Collections.min(quic) / baseline, median(quic) / baseline, Collections.max(quic) / baseline));
        r.append("raw: tcp ").append(tcp).append(" lanspread ").append(quic).append('\n');
        return r.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
