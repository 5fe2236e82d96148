package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lanspread.api.transport.PeerHello;
import io.lanspread.api.transport.PeerNoticeListener;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.protocol.Protocol;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.FastThreadLocalThread;

/** hello, libraryChanged and goodbye over real QUIC on 127.0.0.1, between two peers with their own identities. */
class PeerNoticeTest {

    @TempDir
    Path tmp;

    private IdentityComponent serverIdentity;
    private IdentityComponent clientIdentity;
    private QuicPeerServer server;
    private QuicPeerClient client;
    private QuicPeerClient anonymous;
    private InetSocketAddress address;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void start() throws Exception {
        Path games = Files.createDirectories(tmp.resolve("games"));
        serverIdentity = identity(tmp.resolve("server-state"), "server peer");
        clientIdentity = identity(tmp.resolve("client-state"), "client peer");
        server = new QuicPeerServer(Configs.of(QuicPeerServer.Config.class,
                Map.of("bind.address", "127.0.0.1", "port", 0)), new TestLibrary(games), serverIdentity);
        address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
        client = new QuicPeerClient(config(), clientIdentity);
    }

    @AfterEach
    void stop() {
        for (QuicPeerClient c : new QuicPeerClient[] {client, anonymous}) {
            if (c != null) {
                c.deactivate();
            }
        }
        server.deactivate();
    }

    private static Map<String, Object> configMap() {
        return Map.of("request.timeout.seconds", 3, "connect.timeout.seconds", 10, "notice.timeout.seconds", 1);
    }

    private static QuicPeerClient.Config config() {
        return Configs.of(QuicPeerClient.Config.class, configMap());
    }

    private static IdentityComponent identity(Path stateDir, String name) throws Exception {
        return new IdentityComponent(Configs.of(IdentityComponent.Config.class,
                Map.of("state.dir", stateDir.toString(), "name", name)));
    }

    @Test
    void helloIntroducesTheClientUnderItsCertificatesPeerId() throws Exception {
        server.addNoticeListener(recorder);
        PeerHello pong = get(client.hello(address, 42424, 5));
        assertThat(pong.peerId()).isEqualTo(serverIdentity.peerId());
        assertThat(pong.name()).isEqualTo("server peer");
        assertThat(pong.libraryRevision()).isEqualTo(7);

        Notice notice = recorder.next();
        assertThat(clientIdentity.peerId()).isNotEqualTo(serverIdentity.peerId());
        assertThat(notice).isEqualTo(new Notice("introduced", clientIdentity.peerId(), "client peer",
                new InetSocketAddress("127.0.0.1", 42424), 5));
        assertThat(notice.thread()).startsWith("lanspread-quic-server-io-");
    }

    @Test
    void libraryChangedAndGoodbyeArriveInOrderWithTheProvenPeerId() throws Exception {
        server.addNoticeListener(recorder);
        get(client.hello(address, 42424, 5));
        get(client.libraryChanged(address, 6));
        get(client.libraryChanged(address, 9));
        get(client.goodbye(address));

        String id = clientIdentity.peerId();
        assertThat(recorder.next().kind()).isEqualTo("introduced");
        assertThat(recorder.next()).isEqualTo(new Notice("libraryChanged", id, null, null, 6));
        assertThat(recorder.next()).isEqualTo(new Notice("libraryChanged", id, null, null, 9));
        assertThat(recorder.next()).isEqualTo(new Notice("goodbye", id, null, null, -1));
    }

    @Test
    void goodbyeClosesTheConnectionAtBothEnds() throws Exception {
        get(client.ping(address));
        assertThat(server.connectionCount()).isEqualTo(1);
        get(client.goodbye(address));
        assertThat(Poll.until(() -> client.connectionTo(address) == null, Duration.ofSeconds(5))).isTrue();
        assertThat(Poll.until(() -> server.connectionCount() == 0, Duration.ofSeconds(5))).isTrue();
        assertThat(get(client.ping(address)).peerId()).isEqualTo(serverIdentity.peerId()); // a fresh connection
    }

    @Test
    void goodbyeToAPeerThatNeverAnswersIsBoundedByTheNoticeTimeout() throws Exception {
        try (DatagramSocket blackHole = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            InetSocketAddress silent = new InetSocketAddress("127.0.0.1", blackHole.getLocalPort());
            long start = System.nanoTime();
            assertFails(client.goodbye(silent), Reason.UNREACHABLE);
            assertFails(client.libraryChanged(silent, 1), Reason.UNREACHABLE);
            // two notices of 1 s each, far below the 10 s connect timeout
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        }
    }

    @Test
    void aFailingListenerDoesNotStopTheOthersNorTheServer() throws Exception {
        server.addNoticeListener(new PeerNoticeListener() {
            @Override
            public void introduced(String peerId, String name, InetSocketAddress listenAddress, long revision) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void goodbye(String peerId) {
                throw new IllegalStateException("listener bug");
            }
        });
        server.addNoticeListener(recorder);
        get(client.hello(address, 42424, 5));
        get(client.goodbye(address));
        assertThat(recorder.next().kind()).isEqualTo("introduced");
        assertThat(recorder.next().kind()).isEqualTo("goodbye");
        assertThat(get(client.ping(address)).peerId()).isEqualTo(serverIdentity.peerId());
    }

    @Test
    void removedListenersAreNotTold() throws Exception {
        Recorder removed = new Recorder();
        server.addNoticeListener(removed);
        server.addNoticeListener(recorder);
        server.removeNoticeListener(removed);
        get(client.libraryChanged(address, 3));
        assertThat(recorder.next().revision()).isEqualTo(3);
        assertThat(removed.notices).isEmpty();
    }

    @Test
    void aClientWithoutCertificateMayReadButItsNoticesAreRefused() throws Exception {
        server.addNoticeListener(recorder);
        QuicSslContext noCertificate = QuicSslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .endpointIdentificationAlgorithm(null)
                .applicationProtocols(Protocol.APPLICATION_PROTOCOLS.toArray(String[]::new))
                .build();
        anonymous = new QuicPeerClient(config(), noCertificate, "anonymous");

        assertThat(get(anonymous.ping(address)).peerId()).isEqualTo(serverIdentity.peerId());
        assertFails(anonymous.hello(address, 42424, 1), Reason.BAD_REQUEST);
        assertFails(anonymous.libraryChanged(address, 2), Reason.BAD_REQUEST);
        assertFails(anonymous.goodbye(address), Reason.BAD_REQUEST);

        // notices are handled one at a time in arrival order: had any of the above reached the listeners,
        // it would come before this one
        get(client.libraryChanged(address, 4));
        assertThat(recorder.next()).isEqualTo(new Notice("libraryChanged", clientIdentity.peerId(), null, null, 4));
    }

    @Test
    void invalidNoticesAreRefusedLocally() {
        assertFails(client.hello(address, 0, 1), Reason.BAD_REQUEST);
        assertFails(client.hello(address, 65_536, 1), Reason.BAD_REQUEST);
        assertFails(client.hello(address, 42420, -1), Reason.BAD_REQUEST);
        assertFails(client.libraryChanged(address, -1), Reason.BAD_REQUEST);
    }

    @Test
    void listenersAreCalledOffTheEventLoop() throws Exception {
        server.addNoticeListener(recorder);
        get(client.libraryChanged(address, 1));
        Notice notice = recorder.next();
        assertThat(notice.thread()).startsWith("lanspread-quic-server-io-");
        assertThat(notice.onEventLoop()).isFalse();
    }

    // ------------------------------------------------------------------ helpers

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void assertFails(CompletionStage<?> stage, Reason reason) {
        assertThatThrownBy(() -> get(stage)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PeerRequestException.class)
                .satisfies(e -> assertThat(((PeerRequestException) e).reason()).as(e.getMessage()).isEqualTo(reason));
    }

    /** What a listener was told; thread details are left out of equality. */
    record Notice(String kind, String peerId, String name, InetSocketAddress listenAddress, long revision,
            String thread, boolean onEventLoop) {
        Notice(String kind, String peerId, String name, InetSocketAddress listenAddress, long revision) {
            this(kind, peerId, name, listenAddress, revision, "", false);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Notice n && kind.equals(n.kind) && peerId.equals(n.peerId)
                    && java.util.Objects.equals(name, n.name) && java.util.Objects.equals(listenAddress, n.listenAddress)
                    && revision == n.revision;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(kind, peerId, name, listenAddress, revision);
        }
    }

    private static final class Recorder implements PeerNoticeListener {
        final BlockingQueue<Notice> notices = new LinkedBlockingQueue<>();

        @Override
        public void introduced(String peerId, String name, InetSocketAddress listenAddress, long libraryRevision) {
            record("introduced", peerId, name, listenAddress, libraryRevision);
        }

        @Override
        public void libraryChanged(String peerId, long libraryRevision) {
            record("libraryChanged", peerId, null, null, libraryRevision);
        }

        @Override
        public void goodbye(String peerId) {
            record("goodbye", peerId, null, null, -1);
        }

        private void record(String kind, String peerId, String name, InetSocketAddress address, long revision) {
            Thread t = Thread.currentThread();
            notices.add(new Notice(kind, peerId, name, address, revision, t.getName(),
                    t instanceof FastThreadLocalThread));
        }

        Notice next() throws InterruptedException {
            Notice n = notices.poll(10, TimeUnit.SECONDS);
            assertThat(n).as("a notice within 10 s").isNotNull();
            return n;
        }
    }
}
