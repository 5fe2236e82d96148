package io.lanspread.itests.bench.lan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.lanspread.itests.lab.ExecResult;
import io.lanspread.itests.lab.LabHost;
import io.lanspread.itests.support.Deadlines;

/**
 * nginx serving a folder of a lab host over plain HTTP on the host's LAN address: one master and one worker
 * (in the foreground, {@code daemon off}), sendfile on, no access log, every path under {@code home}. It runs
 * as root (the benchmark's files are in root-only temp folders). The master's pid is the lab process's.
 */
public final class Nginx {

    public static final int PORT = 8080;

    private final LabHost host;
    private final Process process;
    private final Path www;

    private Nginx(LabHost host, Process process, Path www) {
        this.host = host;
        this.process = process;
        this.www = www;
    }

    /** Starts nginx in {@code host} with its files under {@code home}; returns once it answers. */
    public static Nginx start(LabHost host, Path home) throws IOException {
        Path www = Files.createDirectories(home.resolve("www"));
        Files.writeString(www.resolve("ping"), "pong\n");
        Path conf = home.resolve("nginx.conf");
        String h = home.toString();
        Files.writeString(conf, String.join("\n",
                "daemon off;",
                "master_process on;",
                "worker_processes 1;",
                "user root;",
                "pid " + h + "/nginx.pid;",
                "error_log " + h + "/error.log warn;",
                "events { worker_connections 64; }",
                "http {",
                "  access_log off;",
                "  sendfile on;",
                "  tcp_nopush on;",
                "  default_type application/octet-stream;",
                "  client_body_temp_path " + h + "/tmp-body;",
                "  proxy_temp_path " + h + "/tmp-proxy;",
                "  fastcgi_temp_path " + h + "/tmp-fastcgi;",
                "  uwsgi_temp_path " + h + "/tmp-uwsgi;",
                "  scgi_temp_path " + h + "/tmp-scgi;",
                "  server { listen " + host.address() + ":" + PORT + "; root " + www + "; }",
                "}", ""));
        Process p = host.start(List.of(Binaries.path("nginx"), "-p", h, "-c", conf.toString(), "-e", h + "/error.log"),
                home, home.resolve("nginx.out"));
        Nginx nginx = new Nginx(host, p, www);
        nginx.awaitServing(home);
        return nginx;
    }

    private void awaitServing(Path home) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ExecResult last = null;
        while (System.nanoTime() < deadline && process.isAlive()) {
            last = host.exec(Duration.ofSeconds(5), Binaries.path("curl"), "-sS", "-f", "--noproxy", "*", "-o", "/dev/null",
                    url("ping"));
            if (last.ok()) {
                return;
            }
            Deadlines.pause(50);
        }
        String err;
        try {
            err = Files.exists(home.resolve("error.log")) ? Files.readString(home.resolve("error.log")) : "";
        } catch (IOException e) {
            err = e.toString();
        }
        throw new AssertionError("nginx on " + host + " does not serve (alive=" + process.isAlive() + "): " + last
                + "; error.log: " + err);
    }

    /** The folder served at /. */
    public Path www() {
        return www;
    }

    /** {@code http://<host address>:8080/<name>}. */
    public String url(String name) {
        return "http://" + host.address() + ":" + PORT + "/" + name;
    }

    public LabHost host() {
        return host;
    }

    /** The master's pid (the worker is its child). */
    public long pid() {
        return process.pid();
    }
}
