package io.lanspread.itests.lab;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * {@code HttpProbe <port> <body>}: an HTTP server on this host's 127.0.0.1 (port 0 = any) answering
 * every GET with the body; prints {@code READY port=<p>}. Stands in for a peer's local HTTP API.
 */
public final class HttpProbe {

    private HttpProbe() {
    }

    public static void main(String[] args) throws Exception {
        byte[] body = args[1].getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                Integer.parseInt(args[0])), 16);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println("READY port=" + server.getAddress().getPort());
    }
}
