package io.lanspread.peer.internal;

import static io.lanspread.peer.internal.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.lanspread.api.control.DownloadConflictException;
import io.lanspread.api.control.GameDetails;
import io.lanspread.api.control.GameListing;
import io.lanspread.api.control.PeerStatus;
import io.lanspread.api.discovery.DiscoveredPeer;
import io.lanspread.api.discovery.LocalPeer;
import io.lanspread.api.download.DownloadRequest;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.event.LanspreadEvent;
import io.lanspread.api.event.LanspreadEvent.GameFilesReceived;
import io.lanspread.api.event.LanspreadEvent.GameListUpdated;
import io.lanspread.api.event.LanspreadEvent.PeerDiscovered;
import io.lanspread.api.event.LanspreadEvent.PeerLost;
import io.lanspread.api.event.LanspreadEventListener;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameFile;
import io.lanspread.api.game.GameNotFoundException;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerRequestException;

class LanspreadPeerTest {

    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 5001);
    private static final InetSocketAddress A_ALIAS = new InetSocketAddress("127.0.0.2", 5001);
    private static final InetSocketAddress C = new InetSocketAddress("127.0.0.1", 5003);
    private static final InetSocketAddress NOBODY = new InetSocketAddress("127.0.0.1", 5009);
    private static final InetSocketAddress OWN_LISTENER = new InetSocketAddress("127.0.0.1", 42420);

    private final Fixtures.Identity identity = new Fixtures.Identity("self-id", "me", "ab12");
    private final Fixtures.Server server = new Fixtures.Server(new InetSocketAddress("0.0.0.0", 42420), 1);
    private final Fixtures.Library library = new Fixtures.Library();
    private final MemoryPeerDirectory directory = new MemoryPeerDirectory();
    private final FakeNetwork network = new FakeNetwork();
    private final Fixtures.Downloads downloads = new Fixtures.Downloads();
    private final Fixtures.ConfigAdmin configAdmin = new Fixtures.ConfigAdmin();
    private final Fixtures.Events events = new Fixtures.Events();
    private final Fixtures.Backend backend = new Fixtures.Backend("fake");
    private final NoticeRelay notices = new NoticeRelay();
    private final DownloadEventRelay downloadEvents = new DownloadEventRelay();
    private FakeNetwork.Remote alice;
    private FakeNetwork.Remote carol;
    private LanspreadPeer peer;
    /** The control service the UI calls, over the same directory the orchestrator keeps. */
    private PeerCommands control;

    @BeforeEach
    void network() {
        alice = network.add(A, new FakeNetwork.Remote("peer-a", "Alice", List.of(game("quake", "1.0"), game("doom", "2"))));
        carol = network.add(C, new FakeNetwork.Remote("peer-c", "Carol", List.of(game("tetris", "1"))));
        downloads.listeners.add(downloadEvents); // the manager's listener whiteboard
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.deactivate();
        }
        if (control != null) {
            control.deactivate();
        }
    }

    private LanspreadPeer start(long pingSeconds, long timeoutSeconds) {
        peer = new LanspreadPeer(library, directory, network, server, identity, notices, downloadEvents,
                Fixtures.config(pingSeconds, timeoutSeconds));
        peer.addEventListener(events);
        control = new PeerCommands(library, directory, network, server, identity, downloads, configAdmin.service());
        control.addEventListener(events);
        bind(backend);
        peer.reportDownloads();
        return peer;
    }

    /** Binds a backend and waits for its session, which starts on the orchestrator's discovery thread. */
    private void bind(Fixtures.Backend b) {
        peer.bindDiscoveryBackend(b);
        try {
            await(b.name + " started", () -> b.listener != null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Game game(String id, String version) {
        return new Game(id, "Name of " + id, version, 100);
    }

    private static DiscoveredPeer at(InetSocketAddress address) {
        return new DiscoveredPeer("fake", address, null, -1);
    }

    private PeerDiscovered discovered(String peerId) throws InterruptedException {
        return events.next(PeerDiscovered.class, e -> e.peer().peerId().equals(peerId));
    }

    // ---- discovery

    @Test
    void foundPeerIsListedWithItsGamesAndEventsComeInOrder() throws Exception {
        start(10, 30);

        backend.listener.found(at(A));

        LanspreadEvent first = events.take();
        assertThat(first).isInstanceOfSatisfying(PeerDiscovered.class, e -> {
            assertThat(e.peer().peerId()).isEqualTo("peer-a");
            assertThat(e.peer().name()).isEqualTo("Alice");
            assertThat(e.peer().address()).isEqualTo(A);
        });
        assertThat(events.take()).isEqualTo(new GameListUpdated("peer-a", "Alice", alice.games));
        assertThat(control.peers()).extracting(PeerInfo::peerId, p -> p.games().size())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("peer-a", 2));
        assertThat(control.games()).extracting(l -> l.game().id(), GameListing::local, GameListing::peerIds)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("doom", false, List.of("peer-a")),
                        org.assertj.core.groups.Tuple.tuple("quake", false, List.of("peer-a")));
        assertThat(events.threads).containsOnly("lanspread-events");
        assertThat(backend.self).isEqualTo(new LocalPeer("self-id", "me", 42420, "ab12", 1, 1));
    }

    @Test
    void ownPeerIsIgnoredByIdByListenAddressAndByItsAnswer() throws Exception {
        InetSocketAddress selfAlias = new InetSocketAddress("127.0.0.1", 6000);
        network.add(selfAlias, new FakeNetwork.Remote("self-id", "me", List.of(game("x", "1"))));
        InetSocketAddress advertisedSelf = new InetSocketAddress("127.0.0.1", 7000);
        start(10, 30);

        backend.listener.found(new DiscoveredPeer("fake", advertisedSelf, "self-id", 3));
        backend.listener.found(at(OWN_LISTENER));
        backend.listener.found(at(selfAlias));
        backend.listener.found(at(A));

        assertThat(events.take()).isInstanceOfSatisfying(PeerDiscovered.class,
                e -> assertThat(e.peer().peerId()).isEqualTo("peer-a"));
        backend.listener.found(at(selfAlias));
        backend.listener.found(at(C));
        discovered("peer-c");
        assertThat(network.pings(advertisedSelf)).isZero();
        assertThat(network.pings(OWN_LISTENER)).isZero();
        assertThat(network.pings(selfAlias)).as("a known own address is not pinged again").isEqualTo(1);
        assertThat(control.peers()).extracting(PeerInfo::peerId).containsExactly("peer-a", "peer-c");
    }

    @Test
    void peerWithAnotherProtocolVersionIsIgnored() throws Exception {
        alice.protocolVersion = 2;
        start(10, 30);

        backend.listener.found(at(A));
        backend.listener.found(at(C));

        assertThat(events.take()).isInstanceOfSatisfying(PeerDiscovered.class,
                e -> assertThat(e.peer().peerId()).isEqualTo("peer-c"));
        assertThat(network.pings(A)).isEqualTo(1);
        assertThat(control.peers()).extracting(PeerInfo::peerId).containsExactly("peer-c");
    }

    @Test
    void twoBackendsReportingOnePeerAtTwoAddressesMakeOnePeer() throws Exception {
        network.add(A_ALIAS, alice);
        Fixtures.Backend second = new Fixtures.Backend("second");
        start(10, 30);
        bind(second);

        backend.listener.found(at(A));
        discovered("peer-a");
        second.listener.found(at(A_ALIAS));
        second.listener.found(at(C));
        List<LanspreadEvent> skipped = new ArrayList<>();
        events.next(PeerDiscovered.class, e -> e.peer().peerId().equals("peer-c"), skipped);

        assertThat(network.pings(A_ALIAS)).isEqualTo(1);
        assertThat(skipped).noneMatch(e -> e instanceof PeerDiscovered);
        assertThat(control.peers()).extracting(PeerInfo::peerId, PeerInfo::address)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("peer-a", A),
                        org.assertj.core.groups.Tuple.tuple("peer-c", C));
    }

    @Test
    void aBackendThatTakesLongToStartHoldsUpNeitherTheBindNorTheOtherBackendsAndAnUnbindStillClosesIt()
            throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Fixtures.Backend slow = new Fixtures.Backend("slow");
        slow.startGate = release; // a third-party backend calling the network, say
        start(10, 30);
        long before = System.nanoTime();

        peer.bindDiscoveryBackend(slow);

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - before)).as("the bind returns at once")
                .isLessThan(java.time.Duration.ofSeconds(1));
        assertThat(control.status().peerId()).isEqualTo("self-id");
        backend.listener.found(at(A));
        discovered("peer-a");
        assertThat(slow.listener).as("still starting").isNull();
        release.countDown();
        await("the slow backend started", () -> slow.listener != null);
        peer.unbindDiscoveryBackend(slow);
        assertThat(slow.closed).isTrue();
        assertThat(backend.closed).isFalse();
    }

    @Test
    void unbindingABackendClosesOnlyItsSession() throws Exception {
        Fixtures.Backend second = new Fixtures.Backend("second");
        start(10, 30);
        bind(second);

        peer.unbindDiscoveryBackend(backend);

        assertThat(backend.closed).isTrue();
        assertThat(second.closed).isFalse();
        second.listener.found(at(A));
        discovered("peer-a");
        peer.deactivate();
        assertThat(second.closed).isTrue();
        peer = null;
    }

    @Test
    void reportsOfOneAddressWhileItsPingIsOutstandingPingOnce() throws Exception {
        alice.holdPings = new CompletableFuture<>();
        start(10, 30);

        backend.listener.found(at(A));
        backend.listener.found(at(A));
        backend.listener.found(at(C));
        discovered("peer-c");

        assertThat(network.pings(A)).isEqualTo(1);
        alice.holdPings.complete(null);
        discovered("peer-a");
    }

    // ---- liveness

    @Test
    void aSilentPeerIsDroppedSoonAfterItsTimeoutNotAtTheNextPingRound() throws Exception {
        start(60, 2); // pings every 60 s, timeout 2 s
        backend.listener.found(at(A));
        discovered("peer-a");
        Instant seen = control.peers().get(0).lastSeen();

        PeerLost lost = events.next(PeerLost.class, e -> true);

        assertThat(lost.peerId()).isEqualTo("peer-a");
        assertThat(Instant.now()).as("after the timeout").isAfterOrEqualTo(seen.plusSeconds(2))
                .as("long before the next ping round").isBefore(seen.plusSeconds(10));
        assertThat(network.disconnected).contains(A);
    }

    @Test
    void nothingPollsThePeerListBetweenPingRounds() throws Exception {
        start(60, 30);
        backend.listener.found(at(A));
        discovered("peer-a");
        events.next(GameListUpdated.class, e -> true);
        barrier();
        int before = directory.listings.get();

        Thread.sleep(2500); // the window observed (not a wait for state): a once-a-second check would show in it

        assertThat(directory.listings.get() - before).as("peer list reads in 2.5 s with nothing to do").isZero();
    }

    @Test
    void silentPeerIsDroppedAfterTheTimeoutWhileALivePeerStays() throws Exception {
        start(1, 2);
        backend.listener.found(at(A));
        backend.listener.found(at(C));
        discovered("peer-a");
        discovered("peer-c");
        Instant downAt = Instant.now();

        alice.up = false;

        PeerLost lost = events.next(PeerLost.class, e -> true);
        assertThat(lost).isEqualTo(new PeerLost("peer-a", "Alice"));
        assertThat(Instant.now()).as("not before the timeout").isAfterOrEqualTo(downAt.plusSeconds(1));
        assertThat(control.peers()).extracting(PeerInfo::peerId).containsExactly("peer-c");
        assertThat(control.peers().get(0).lastSeen()).as("kept alive by pings").isAfter(downAt);
    }

    @Test
    void changedLibraryRevisionFetchesTheGamesAgain() throws Exception {
        start(1, 30);
        backend.listener.found(at(A));
        events.next(GameListUpdated.class, e -> true);

        alice.games = List.of(game("quake", "1.1"));
        alice.revision = 2;

        GameListUpdated update = events.next(GameListUpdated.class, e -> true);
        assertThat(update.games()).containsExactly(game("quake", "1.1"));
        assertThat(control.games()).extracting(l -> l.game().version()).containsExactly("1.1");
        assertThat(network.listings(A)).isEqualTo(2);
    }

    @Test
    void lostReportDropsAPeerThatNoLongerAnswers() throws Exception {
        start(10, 30);
        backend.listener.found(at(A));
        discovered("peer-a");

        alice.up = false;
        backend.listener.lost(at(A));

        assertThat(events.next(PeerLost.class, e -> true).peerId()).isEqualTo("peer-a");
        assertThat(control.peers()).isEmpty();
    }

    @Test
    void libraryChangesAreAdvertisedToTheBackends() throws Exception {
        start(1, 30);

        library.add(game("new", "1"));

        await("an update with the new revision", () -> backend.updates.stream()
                .anyMatch(p -> p.libraryRevision() == library.revision()));
    }

    @Test
    void aThrowingListenerDoesNotStopDelivery() throws Exception {
        start(10, 30);
        LanspreadEventListener broken = e -> {
            throw new IllegalStateException("listener bug");
        };
        peer.removeEventListener(events);
        peer.addEventListener(broken);
        peer.addEventListener(events);

        backend.listener.found(at(A));

        assertThat(events.take()).isInstanceOf(PeerDiscovered.class);
        assertThat(events.take()).isInstanceOf(GameListUpdated.class);
    }

    // ---- talking with the other peers

    /** Everything handed to the tracker before this call has been handled once Carol is discovered. */
    private void barrier() throws InterruptedException {
        backend.listener.found(at(C));
        discovered("peer-c");
    }

    @Test
    void discoveryAndLivenessRoundsIntroduceUs() throws Exception {
        start(1, 30);

        backend.listener.found(at(A));
        discovered("peer-a");

        assertThat(network.hellos).extracting(FakeNetwork.Sent::address, FakeNetwork.Sent::port,
                FakeNetwork.Sent::revision).containsExactly(org.assertj.core.groups.Tuple.tuple(A, 42420, 1L));
        await("a liveness round's hello", () -> network.hellos(A) >= 2);
        assertThat(network.hellos).extracting(FakeNetwork.Sent::port, FakeNetwork.Sent::revision)
                .as("each tells our port and library revision").containsOnly(org.assertj.core.groups.Tuple.tuple(42420, 1L));
    }

    /**
     * A known peer that greeted us since our last round is left out of it: its hello showed it alive, and
     * each pair needs one hello per interval, not two. One that stops greeting is greeted again.
     */
    @Test
    void aPeerThatGreetedUsSinceTheLastRoundIsLeftOutOfIt() throws Exception {
        start(1, 30);
        notices.introduced("peer-a", "Alice", A, 1);
        discovered("peer-a");
        int before = network.hellos(A);

        // peer-a's own rounds: a hello every 300 ms, more often than ours (1 s)
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(3500);
        while (System.nanoTime() < until) {
            notices.introduced("peer-a", "Alice", A, 1);
            java.util.concurrent.locks.LockSupport.parkNanos(300_000_000L); // the remote peer's own pace
        }
        barrier();
        assertThat(network.hellos(A)).as("our hellos to a peer that kept greeting us").isEqualTo(before);
        assertThat(directory.peer("peer-a")).as("kept alive by its own hellos").isPresent();

        await("greeted again once it stopped greeting us", () -> network.hellos(A) > before);
    }

    @Test
    void introducedPeerIsAddedAndItsGamesFetched() throws Exception {
        start(60, 120);

        notices.introduced("peer-a", "Alice", A, 1);

        assertThat(discovered("peer-a").peer().address()).isEqualTo(A);
        assertThat(events.next(GameListUpdated.class, e -> true).games()).isEqualTo(alice.games);
        assertThat(network.hellos(A)).as("said hello back, which proves who listens there").isEqualTo(1);

        notices.introduced("peer-a", "Alice", A, 1);
        barrier();
        assertThat(network.pings(A)).as("known, answering and unchanged: not asked again").isEqualTo(1);
        assertThat(network.callerThreads).containsOnly("lanspread-peer");
    }

    @Test
    void libraryChangedNoticeFetchesTheGamesAtOnce() throws Exception {
        start(60, 120);
        backend.listener.found(at(A));
        events.next(GameListUpdated.class, e -> true);

        alice.games = List.of(game("quake", "1.1"));
        alice.revision = 2;
        notices.libraryChanged("peer-a", 2);

        assertThat(events.next(GameListUpdated.class, e -> true).games()).containsExactly(game("quake", "1.1"));
        assertThat(control.games()).extracting(l -> l.game().version()).containsExactly("1.1");
        notices.libraryChanged("peer-a", 2);
        notices.libraryChanged("stranger", 7);
        barrier();
        assertThat(network.listings(A)).as("the same revision is not fetched twice").isEqualTo(2);
        assertThat(network.callerThreads).containsOnly("lanspread-peer");
    }

    @Test
    void libraryChangedWhileTheGamesAreBeingFetchedFetchesAgainAfter() throws Exception {
        alice.holdListings = new CompletableFuture<>();
        start(60, 120);
        backend.listener.found(at(A));
        discovered("peer-a");
        await("the first listing asked", () -> network.listings(A) == 1);

        alice.games = List.of(game("quake", "1.1"));
        alice.revision = 2;
        notices.libraryChanged("peer-a", 2);
        barrier();
        CompletableFuture<Void> held = alice.holdListings;
        alice.holdListings = null;
        held.complete(null);

        events.next(GameListUpdated.class, e -> e.games().equals(List.of(game("quake", "1.1"))));
        assertThat(network.listings(A)).isEqualTo(2);
    }

    @Test
    void goodbyeDropsThePeerAtOnceAndOnlyItsOwnIntroductionBringsItBack() throws Exception {
        start(60, 120);
        backend.listener.found(at(A));
        discovered("peer-a");
        Instant before = Instant.now();

        notices.goodbye("peer-a");

        assertThat(events.next(PeerLost.class, e -> true)).isEqualTo(new PeerLost("peer-a", "Alice"));
        assertThat(Instant.now()).isBefore(before.plusSeconds(2));
        assertThat(control.peers()).isEmpty();
        assertThat(network.disconnected).as("the connection to the departed peer is forgotten").contains(A);

        List<LanspreadEvent> skipped = new ArrayList<>();
        backend.listener.found(new DiscoveredPeer("fake", A, "peer-a", 1)); // a stale record
        backend.listener.found(at(A));
        backend.listener.found(at(C));
        events.next(PeerDiscovered.class, e -> e.peer().peerId().equals("peer-c"), skipped);
        assertThat(skipped).noneMatch(e -> e instanceof PeerDiscovered);
        assertThat(control.peers()).extracting(PeerInfo::peerId).containsExactly("peer-c");

        alice.games = List.of(game("doom", "3"));
        notices.introduced("peer-a", "Alice", A, 5);

        discovered("peer-a");
        assertThat(events.next(GameListUpdated.class, e -> e.peerId().equals("peer-a")).games())
                .containsExactly(game("doom", "3"));
    }

    @Test
    void aKnownPeerThatIntroducesItselfAtAnotherPortIsMovedThere() throws Exception {
        InetSocketAddress moved = new InetSocketAddress("127.0.0.1", 5011);
        start(60, 120);
        notices.introduced("peer-a", "Alice", A, 1);
        discovered("peer-a");
        barrier();

        network.add(moved, alice); // reconfigured: the same peer listens on another port
        notices.introduced("peer-a", "Alice", moved, 1);

        await("peer-a at its new port", () -> directory.peer("peer-a").map(p -> p.address().equals(moved))
                .orElse(false));
        assertThat(directory.peers()).extracting(PeerInfo::address).doesNotContain(A);
    }

    /**
     * A discovery backend reports the old address lost (static peers changed to the new port, say) and its
     * check there fails only after the peer moved: the peer stays, and its new connection is not dropped.
     */
    @Test
    void aCheckThatFailsAtTheAddressAPeerLeftDoesNotDropIt() throws Exception {
        InetSocketAddress moved = new InetSocketAddress("127.0.0.1", 5014);
        start(60, 120);
        notices.introduced("peer-a", "Alice", A, 1);
        discovered("peer-a");

        FakeNetwork.Remote oldSocket = network.add(A, new FakeNetwork.Remote("peer-a", "Alice", List.of()));
        oldSocket.up = false;
        oldSocket.holdPings = new CompletableFuture<>(); // the check at the old address fails, but later
        int pingsBefore = network.pings(A);
        backend.listener.lost(at(A));
        await("the check of the address reported lost", () -> network.pings(A) == pingsBefore + 1);
        network.add(moved, alice);
        notices.introduced("peer-a", "Alice", moved, 1);
        await("peer-a at its new port", () -> directory.peer("peer-a").map(p -> p.address().equals(moved))
                .orElse(false));
        oldSocket.holdPings.complete(null);

        List<LanspreadEvent> skipped = new ArrayList<>();
        backend.listener.found(at(C)); // handled after the failed check
        events.next(PeerDiscovered.class, e -> e.peer().peerId().equals("peer-c"), skipped);
        assertThat(skipped).noneMatch(e -> e instanceof PeerLost);
        assertThat(directory.peer("peer-a")).map(PeerInfo::address).contains(moved);
        assertThat(network.disconnected).doesNotContain(moved);
    }

    @Test
    void aMovedPeersNewAddressIsCheckedAgainWhenTheFirstCheckFails() throws Exception {
        InetSocketAddress moved = new InetSocketAddress("127.0.0.1", 5013);
        start(60, 120); // no liveness round and no discovery report in the test's time: only the rechecks
        notices.introduced("peer-a", "Alice", A, 1);
        discovered("peer-a");
        barrier();

        FakeNetwork.Remote slow = network.add(moved, new FakeNetwork.Remote("nobody", "nobody", List.of()));
        slow.up = false; // the first check fails (a connect timeout on a busy machine, say)
        notices.introduced("peer-a", "Alice", moved, 1);
        await("the first check of the new address", () -> network.hellos(moved) == 1);
        network.add(moved, alice);

        await("peer-a at its new port", () -> directory.peer("peer-a").map(p -> p.address().equals(moved))
                .orElse(false));
        assertThat(network.hellos(moved)).as("checks of the new address").isEqualTo(2);
    }

    @Test
    void aMovedPeersIntroductionIsNotLostToAHelloThatWentThereBeforeItListened() throws Exception {
        InetSocketAddress moved = new InetSocketAddress("127.0.0.1", 5012);
        start(60, 120);
        notices.introduced("peer-a", "Alice", A, 1);
        discovered("peer-a");
        barrier();

        // a discovery report of the new address comes first, before the peer listens there: its hello is held
        FakeNetwork.Remote nobody = network.add(moved, new FakeNetwork.Remote("nobody", "nobody", List.of()));
        nobody.up = false;
        nobody.holdPings = new CompletableFuture<>();
        backend.listener.found(at(moved));
        await("the hello to the new address", () -> network.hellos(moved) == 1);
        notices.introduced("peer-a", "Alice", moved, 1); // while that hello is under way
        InetSocketAddress d = new InetSocketAddress("127.0.0.1", 5004);
        network.add(d, new FakeNetwork.Remote("peer-d", "Dave", List.of())); // a barrier: handled after the notice
        backend.listener.found(at(d));
        discovered("peer-d");
        network.add(moved, alice); // now it listens there
        nobody.holdPings.complete(null); // the first hello fails: nobody was there when it went

        await("peer-a at its new port", () -> directory.peer("peer-a").map(p -> p.address().equals(moved))
                .orElse(false));
        assertThat(network.hellos(moved)).as("said hello again after the introduction").isEqualTo(2);
    }

    @Test
    void aServerThatMovedToAnotherPortIsAnnouncedToEveryKnownPeerAndBackend() throws Exception {
        start(60, 120);
        backend.listener.found(at(A));
        discovered("peer-a");
        barrier();

        server.localAddress = new InetSocketAddress("0.0.0.0", 42499);
        peer.serverUpdated(server);

        await("peer-a told the new port", () -> network.hellos.stream()
                .anyMatch(h -> h.address().equals(A) && h.port() == 42499));
        await("the backend told the new port", () -> backend.updates.stream().anyMatch(u -> u.quicPort() == 42499));
    }

    @Test
    void newIntervalsApplyWithoutARestart() throws Exception {
        start(60, 120);
        backend.listener.found(at(A));
        discovered("peer-a");
        barrier();
        int pingsBefore = network.pings(A);

        peer.modified(Fixtures.config(1, 120));

        await("pinged again within the new interval", () -> network.pings(A) > pingsBefore);
    }

    @Test
    void localLibraryChangeIsToldToEveryKnownPeerAndEveryBackend() throws Exception {
        Fixtures.Backend second = new Fixtures.Backend("second");
        start(60, 120);
        bind(second);
        backend.listener.found(at(A));
        discovered("peer-a");
        barrier();

        library.add(game("new", "1"));
        notices.libraryChanged(library.revision());

        await("both peers told", () -> network.libraryNotices.size() == 2);
        assertThat(network.libraryNotices).extracting(FakeNetwork.Sent::address, FakeNetwork.Sent::revision)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(A, 2L),
                        org.assertj.core.groups.Tuple.tuple(C, 2L));
        await("both sessions updated", () -> !backend.updates.isEmpty() && !second.updates.isEmpty());
        assertThat(backend.updates).extracting(LocalPeer::libraryRevision).containsExactly(2L);
        assertThat(second.updates).extracting(LocalPeer::libraryRevision).containsExactly(2L);
        assertThat(network.callerThreads).containsOnly("lanspread-peer");
    }

    @Test
    void deactivateSaysGoodbyeToEveryKnownPeerFirstAndBoundedWhenOneHangs() throws Exception {
        start(60, 120);
        backend.listener.found(at(A));
        discovered("peer-a");
        barrier();
        carol.holdGoodbyes = new CompletableFuture<>(); // never answered

        long t0 = System.nanoTime();
        peer.deactivate();
        long took = System.nanoTime() - t0;
        peer = null;

        assertThat(network.goodbyes).extracting(FakeNetwork.Sent::address).containsExactlyInAnyOrder(A, C);
        assertThat(java.time.Duration.ofNanos(took)).as("waits about a second, not for the hanging peer")
                .isLessThan(java.time.Duration.ofMillis(2500));
        assertThat(backend.closed).isTrue();
        assertThat(network.goodbyes).allMatch(g -> g.nanoTime() < backend.closedAt,
                "sent before the discovery sessions closed");
    }

    @Test
    void noticesAfterDeactivateAreDropped() throws Exception {
        start(60, 120);
        peer.deactivate();
        peer = null;

        notices.introduced("peer-a", "Alice", A, 1);
        notices.libraryChanged(9);

        assertThat(network.pings(A)).isZero();
        assertThat(network.libraryNotices).isEmpty();
    }

    @Test
    void droppedPeerThatComesBackIsAddedAgainWithItsGames() throws Exception {
        start(1, 2);
        backend.listener.found(at(A));
        discovered("peer-a");
        events.next(GameListUpdated.class, e -> true);

        alice.up = false;
        events.next(PeerLost.class, e -> e.peerId().equals("peer-a"));
        alice.up = true;
        alice.games = List.of(game("quake", "2.0"));
        backend.listener.found(at(A));

        assertThat(discovered("peer-a").peer().address()).isEqualTo(A);
        assertThat(events.next(GameListUpdated.class, e -> true).games()).containsExactly(game("quake", "2.0"));
        assertThat(network.listings(A)).isEqualTo(2);
    }

    @Test
    void aFloodOfReportsDoesNotPingPerReport() throws Exception {
        network.add(A_ALIAS, alice);
        start(60, 120);
        backend.listener.found(at(A));
        discovered("peer-a");
        backend.listener.found(at(A_ALIAS));
        backend.listener.found(at(NOBODY));
        barrier();

        for (int i = 0; i < 50; i++) {
            backend.listener.found(at(A));
            backend.listener.found(new DiscoveredPeer("fake", A, "peer-a", 1));
            backend.listener.found(at(A_ALIAS));
            backend.listener.found(at(NOBODY));
            notices.introduced("peer-a", "Alice", A_ALIAS, 1);
        }
        backend.listener.found(at(new InetSocketAddress("127.0.0.1", 5010)));
        await("the last report handled", () -> network.pings(new InetSocketAddress("127.0.0.1", 5010)) == 1);

        assertThat(network.pings(A)).isEqualTo(1);
        assertThat(network.pings(A_ALIAS)).isEqualTo(1);
        assertThat(network.pings(NOBODY)).as("an address that does not answer, at most once per interval")
                .isEqualTo(1);
        assertThat(network.pings(C)).isEqualTo(1);
    }

    @Test
    void aNewRevisionInAReportIsNewsEvenForAKnownPeer() throws Exception {
        start(60, 120);
        backend.listener.found(at(A));
        events.next(GameListUpdated.class, e -> true);

        alice.games = List.of(game("quake", "9"));
        alice.revision = 3;
        backend.listener.found(new DiscoveredPeer("mdns", A, "peer-a", 3));

        assertThat(events.next(GameListUpdated.class, e -> true).games()).containsExactly(game("quake", "9"));
    }

    // ---- queries

    private void knownPeer(String peerId, InetSocketAddress address, Game... games) {
        directory.upsert(peerId, peerId.toUpperCase(), address);
        directory.updateGames(peerId, List.of(games));
    }

    @Test
    void gamesMergeLocalAndRemoteByIdAtTheNewestVersion() {
        library.add(game("g1", "1.0"));
        library.add(game("g2", "2.0"));
        library.add(game("g4", "3.0"));
        library.add(game("g5", "1.0"));
        knownPeer("a", A, game("g1", "1.10"), game("g3", "1"));
        knownPeer("b", C, game("g1", "1.9"), game("g2", "2.0"));
        knownPeer("c", C, game("g4", "2.0"));
        knownPeer("d", C, game("g2", "2.0"));
        start(10, 30);

        assertThat(control.games()).extracting(l -> l.game().id(), l -> l.game().version(), GameListing::local,
                GameListing::peerIds).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("g1", "1.10", false, List.of("a")),
                        org.assertj.core.groups.Tuple.tuple("g2", "2.0", true, List.of("b", "d")),
                        org.assertj.core.groups.Tuple.tuple("g3", "1", false, List.of("a")),
                        org.assertj.core.groups.Tuple.tuple("g4", "3.0", true, List.of()),
                        org.assertj.core.groups.Tuple.tuple("g5", "1.0", true, List.of()));
    }

    @Test
    void statusNamesThisPeer() {
        start(10, 30);

        assertThat(control.status()).isEqualTo(new PeerStatus("self-id", "me", 42420, library.directory));
    }

    @Test
    void localGameDetailsComeFromTheLibrary() {
        library.add(game("g2", "2.0"), new GameFile("bin", 0, true), new GameFile("bin/run", 5, false));
        knownPeer("a", A, game("g2", "1.0"));
        start(10, 30);

        GameDetails details = control.game("g2").toCompletableFuture().join();

        assertThat(details.listing().local()).isTrue();
        assertThat(details.files()).containsExactly(new GameFile("bin", 0, true), new GameFile("bin/run", 5, false));
        assertThat(network.pings(A)).isZero();
    }

    @Test
    void remoteGameDetailsComeFromAHolderTryingTheNextOnFailure() throws Exception {
        List<GameFile> tree = List.of(new GameFile("data.pak", 100, false));
        knownPeer("a", A, game("g1", "1.0"));
        knownPeer("c", C, game("g1", "1.0"));
        directory.seenAt("a", Instant.now().plusSeconds(5)); // tried first
        alice.failGetGame = true;
        carol.files.put("g1", tree);
        start(10, 30);

        GameDetails details = control.game("g1").toCompletableFuture().join();

        assertThat(details.files()).isEqualTo(tree);
        assertThat(details.listing().local()).isFalse();
        assertThat(events.next(GameFilesReceived.class, e -> true)).isEqualTo(new GameFilesReceived("g1", "c", tree));
    }

    @Test
    void gameDetailsFailWithTheLastPeerErrorOrNotFound() {
        knownPeer("a", A, game("g1", "1.0"));
        alice.failGetGame = true;
        start(10, 30);

        assertThatThrownBy(() -> control.game("g1").toCompletableFuture().join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(PeerRequestException.class);
        assertThatThrownBy(() -> control.game("nope").toCompletableFuture().join())
                .hasCauseInstanceOf(GameNotFoundException.class);
        assertThatThrownBy(() -> control.game("").toCompletableFuture().join())
                .hasCauseInstanceOf(GameNotFoundException.class);
    }

    // ---- commands

    /**
     * A download that finished a moment ago: the library lists the game only after its next walk, and until
     * then a second click must not fetch it again. Once its folder is gone (removed), it may be fetched.
     */
    @Test
    void downloadRefusesAGameThatHasJustBeenDownloaded(@TempDir Path games) throws Exception {
        library.directory = games;
        knownPeer("a", A, game("g3", "3.0"));
        start(10, 30);
        downloads.statuses.add(new DownloadStatus("d0", "g3", "3.0", DownloadState.FINISHED, 0, 0, 0, 0, 0, 0, 0,
                List.of(), null));
        Files.createDirectories(games.resolve("g3"));

        assertThatThrownBy(() -> control.download("g3")).isInstanceOfSatisfying(DownloadConflictException.class,
                e -> assertThat(e.reason()).isEqualTo(DownloadConflictException.Reason.ALREADY_LOCAL))
                .hasMessage("game g3 3.0 is already here");
        assertThat(downloads.requests).isEmpty();

        Files.delete(games.resolve("g3"));
        control.download("g3");
        assertThat(downloads.requests).extracting(DownloadRequest::gameId).containsExactly("g3");
    }

    @Test
    void downloadRefusesUnknownAndLocalGames() {
        library.add(game("g2", "2.0"));
        knownPeer("a", A, game("g2", "2.0"), game("g0", "1"));
        library.add(game("g0", "1.1"));
        start(10, 30);

        assertThatThrownBy(() -> control.download("nope")).isInstanceOf(GameNotFoundException.class);
        assertThatThrownBy(() -> control.download("g2")).isInstanceOfSatisfying(DownloadConflictException.class,
                e -> assertThat(e.reason()).isEqualTo(DownloadConflictException.Reason.ALREADY_LOCAL));
        assertThatThrownBy(() -> control.download("g0")).as("the local version is newer")
                .isInstanceOfSatisfying(DownloadConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(DownloadConflictException.Reason.ALREADY_LOCAL));
        assertThat(downloads.requests).isEmpty();
    }

    @Test
    void anOlderInstalledVersionIsAnUpdateAndTheManagerChoosesTheContent() throws Exception {
        library.add(game("g1", "1.0"));
        knownPeer("a", A, game("g1", "1.10"));
        knownPeer("c", C, game("g1", "1.10"));
        start(10, 30);

        DownloadStatus status = control.download("g1").toCompletableFuture().join();

        assertThat(status.gameId()).isEqualTo("g1");
        assertThat(downloads.requests).containsExactly(new DownloadRequest("g1", null, null));
        assertThat(events.next(LanspreadEvent.DownloadBegin.class, e -> true).status()).isEqualTo(status);
        // the download manager rescans the library itself; the orchestrator hears of it as a library change
        assertThat(library.rescans.get()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DownloadState.class, names = { "RUNNING", "WAITING", "INTERRUPTED" })
    void aDownloadOfTheGameThatHasNotEndedIsAConflict(DownloadState state) {
        knownPeer("a", A, game("g1", "1"));
        downloads.statuses.add(Fixtures.Downloads.status("d7", "g1", state));
        start(10, 30);

        assertThatThrownBy(() -> control.download("g1")).isInstanceOfSatisfying(DownloadConflictException.class, e -> {
            assertThat(e.reason()).isEqualTo(DownloadConflictException.Reason.ALREADY_DOWNLOADING);
            assertThat(e.getMessage()).contains("g1", "d7");
        });
        assertThat(downloads.requests).isEmpty();
    }

    @Test
    void anInterruptedDownloadIsNamedWithWhatToDo() {
        knownPeer("a", A, game("g1", "1"));
        downloads.statuses.add(Fixtures.Downloads.status("d7", "g1", DownloadState.INTERRUPTED));
        start(10, 30);

        assertThatThrownBy(() -> control.download("g1"))
                .hasMessage("game g1 has an interrupted download d7; resume or cancel it");
    }

    @ParameterizedTest
    @EnumSource(value = DownloadState.class, names = { "FINISHED", "FAILED", "CANCELLED" })
    void anEndedDownloadOfTheGameDoesNotStopANewOne(DownloadState state) {
        knownPeer("a", A, game("g1", "1"));
        downloads.statuses.add(Fixtures.Downloads.status("d7", "g1", state));
        downloads.statuses.add(Fixtures.Downloads.status("d8", "other", DownloadState.RUNNING));
        start(10, 30);

        control.download("g1").toCompletableFuture().join();

        assertThat(downloads.requests).containsExactly(DownloadRequest.newest("g1"));
    }

    @Test
    void theChosenPeerMustBeKnownAndListTheGame() {
        knownPeer("a", A, game("g1", "2"));
        knownPeer("c", C, game("tetris", "1"));
        knownPeer("old", A_ALIAS, game("g1", "1"));
        start(10, 30);

        assertThatThrownBy(() -> control.download("g1", "ghost")).isInstanceOf(GameNotFoundException.class)
                .hasMessage("peer ghost is not known, so it cannot be the source of game g1");
        assertThatThrownBy(() -> control.download("g1", "c")).isInstanceOf(GameNotFoundException.class)
                .hasMessage("peer c does not have game g1");
        assertThat(downloads.requests).isEmpty();

        control.download("g1", "old").toCompletableFuture().join();

        assertThat(downloads.requests).as("the manager decides what an older copy at the chosen peer means")
                .containsExactly(new DownloadRequest("g1", null, "old"));
    }

    @Test
    void theManagersRefusalsBecomeAConflictOrABadRequestWithASentence() {
        knownPeer("a", A, game("g1", "1"));
        start(10, 30);

        downloads.failStart = new IllegalStateException("busy");
        assertThatThrownBy(() -> control.download("g1")).isInstanceOfSatisfying(DownloadConflictException.class,
                e -> assertThat(e.reason()).isEqualTo(DownloadConflictException.Reason.ALREADY_DOWNLOADING));

        downloads.failStart = new IllegalArgumentException("unsafe game id");
        assertThatThrownBy(() -> control.download("g1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("game g1 cannot be downloaded: unsafe game id");
    }

    @Test
    void cancelResumeRemoveAndDownloadsDelegate() {
        knownPeer("a", A, game("g1", "1"));
        downloads.statuses.add(Fixtures.Downloads.status("d1", "g0", DownloadState.INTERRUPTED));
        downloads.statuses.add(Fixtures.Downloads.status("d2", "g2", DownloadState.FAILED));
        start(10, 30);
        DownloadStatus status = control.download("g1").toCompletableFuture().join();

        assertThat(control.downloads()).extracting(DownloadStatus::id).containsExactly("d1", "d2", status.id());
        assertThat(control.resume("d1")).isTrue();
        assertThat(control.resume("d2")).isFalse();
        assertThat(control.remove("d2")).isTrue();
        assertThat(control.remove("d1")).isFalse();
        assertThat(control.cancel(status.id())).isTrue();
        assertThat(control.cancel("nope")).isFalse();
        assertThat(downloads.calls).containsExactly("resume d1", "resume d2", "remove d2", "remove d1",
                "cancel " + status.id(), "cancel nope");
    }

    @Test
    void whatTheManagerReportsReachesTheEventListenersInOrder() throws Exception {
        start(10, 30);
        DownloadStatus status = Fixtures.Downloads.status("d1", "g1", DownloadState.RUNNING);
        DownloadStatus waiting = Fixtures.Downloads.status("d1", "g1", DownloadState.WAITING);

        downloadEvents.begin(status);
        downloadEvents.progress(waiting);
        downloadEvents.failed(status);
        downloadEvents.cancelled(status);
        downloadEvents.finished(status);

        assertThat(events.take()).isEqualTo(new LanspreadEvent.DownloadBegin(status));
        assertThat(events.take()).isEqualTo(new LanspreadEvent.DownloadProgress(waiting));
        assertThat(events.take()).isEqualTo(new LanspreadEvent.DownloadFailed(status));
        assertThat(events.take()).isEqualTo(new LanspreadEvent.DownloadCancelled(status));
        assertThat(events.take()).isEqualTo(new LanspreadEvent.DownloadFinished(status));
    }

    @Test
    void downloadsResumedBeforeThePeerStartedAreReportedOnceItStarts() throws Exception {
        DownloadStatus resumed = Fixtures.Downloads.status("d1", "g1", DownloadState.RUNNING);
        downloadEvents.begin(resumed); // the manager resumed it at its own activation
        downloadEvents.progress(resumed);

        start(10, 30);

        assertThat(events.take()).isEqualTo(new LanspreadEvent.DownloadBegin(resumed));
        assertThat(events.take()).isEqualTo(new LanspreadEvent.DownloadProgress(resumed));
    }

    @Test
    void downloadEventsWhileNoPeerIsAttachedAreHeldUpToABound() throws Exception {
        for (int i = 0; i < DownloadEventRelay.MAX_HELD + 5; i++) {
            downloadEvents.progress(Fixtures.Downloads.status("d" + i, "g1", DownloadState.RUNNING));
        }

        start(10, 30);

        assertThat(((LanspreadEvent.DownloadProgress) events.take()).status().id()).as("the oldest are dropped")
                .isEqualTo("d5");
        peer.deactivate();
        peer = null;
        assertThat(events.queue).hasSize(DownloadEventRelay.MAX_HELD - 1);
    }

    @Test
    void statusCountsTheBytesOurServerSent() {
        server.servedBytes.set(12345);
        start(10, 30);

        assertThat(control.status().servedBytes()).isEqualTo(12345);
    }

    @Test
    void setGameDirectoryCreatesItAndUpdatesTheCatalogConfiguration(@TempDir Path temp) {
        Hashtable<String, Object> existing = new Hashtable<>();
        existing.put("games.dir", "/old");
        existing.put("rescan.interval.seconds", 5);
        configAdmin.stored.put("io.lanspread.catalog", existing);
        start(10, 30);
        Path target = temp.resolve("new/../new/games");

        PeerStatus status = control.setGameDirectory(target);

        Path expected = temp.resolve("new/games").toAbsolutePath();
        assertThat(expected).isDirectory();
        assertThat(status).isEqualTo(new PeerStatus("self-id", "me", 42420, expected));
        assertThat(configAdmin.stored.get("io.lanspread.catalog").get("games.dir")).isEqualTo(expected.toString());
        assertThat(configAdmin.stored.get("io.lanspread.catalog").get("rescan.interval.seconds")).isEqualTo(5);
        assertThat(configAdmin.locations).containsOnly("?");
        assertThat(Files.isDirectory(expected)).isTrue();
    }
}
