package io.lanspread.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.Game;
import io.lanspread.api.game.GameManifest;

/** The listing rule on made-up observations and clock values. */
class ListingGateTest {

    private static final Path DIR = Path.of("/games");
    private static final long QUIET = 3_000;

    private final ListingGate gate = new ListingGate(DIR, QUIET);

    private static ScannedGame seen(String id, long size, long mtime, long at) {
        return new ScannedGame(new Game(id, id, "1", size), List.of(new TreeEntry("a.bin", false, size, mtime)), at);
    }

    private static HashResult hashed(ScannedGame game, boolean servedBefore) {
        long size = game.game().size();
        byte[] chunks = new byte[(int) ((size + GameManifest.CHUNK_SIZE - 1) / GameManifest.CHUNK_SIZE) * 32];
        GameManifest manifest = new GameManifest(game.id(), "1", GameManifest.CHUNK_SIZE,
                List.of(new FileManifest("a.bin", size, false, new byte[32], chunks)));
        return new HashResult(DIR, game, manifest, servedBefore, false);
    }

    @Test
    void listedOnlyOnceTheSameTreeWasSeenAcrossTheQuietPeriodAndHashed() {
        ScannedGame first = seen("g", 10, 1, 1_000);
        gate.observe(DIR, List.of(first), 1_000);
        ListingGate.Work work = gate.takeWork();
        assertThat(work.toHash()).containsExactly(first);
        assertThat(work.recheckAtNanos()).containsEntry("g", 1_000 + QUIET);

        gate.hashed(hashed(first, false));
        assertThat(gate.takeWork().listed()).as("hashed but not yet quiet").isEmpty();

        gate.observe(DIR, List.of(seen("g", 10, 1, 1_000 + QUIET - 1)), 1_000 + QUIET - 1);
        assertThat(gate.takeWork().listed()).isEmpty();

        gate.observe(DIR, List.of(seen("g", 10, 1, 1_000 + QUIET)), 1_000 + QUIET);
        ListingGate.Work listed = gate.takeWork();
        assertThat(listed.listed()).containsOnlyKeys("g");
        assertThat(listed.newlyListed()).containsExactly(first);
        assertThat(gate.settled()).isTrue();
    }

    @Test
    void aChangedTreeWithdrawsTheGameAndAnOutdatedHashIsIgnored() {
        ScannedGame first = seen("g", 10, 1, 0);
        gate.observe(DIR, List.of(first), 0);
        gate.hashed(hashed(first, true));
        assertThat(gate.takeWork().listed()).containsOnlyKeys("g");

        ScannedGame grown = seen("g", 20, 2, 100);
        gate.observe(DIR, List.of(grown), 100);
        ListingGate.Work work = gate.takeWork();
        assertThat(work.listed()).isEmpty();
        assertThat(work.toHash()).containsExactly(grown);
        assertThat(gate.isCurrent(DIR, first)).isFalse();

        gate.hashed(hashed(first, true)); // a late result for the old tree
        assertThat(gate.takeWork().listed()).isEmpty();
        assertThat(gate.settled()).isFalse();
    }

    @Test
    void whatTheCacheSaysWasServedIsListedWithoutWaiting() {
        ScannedGame game = seen("g", 10, 1, 0);
        gate.observe(DIR, List.of(game), 0);
        gate.hashed(hashed(game, true));

        assertThat(gate.takeWork().listed()).containsOnlyKeys("g");
    }

    @Test
    void anOlderScanNeitherDropsNorRewindsANewerObservation() {
        ScannedGame newer = seen("g", 20, 2, 500);
        gate.observe(DIR, List.of(newer), 500);

        gate.observe(DIR, List.of(), 400); // started before the game was seen
        gate.observe(DIR, List.of(seen("g", 10, 1, 300)), 300);
        assertThat(gate.isCurrent(DIR, newer)).isTrue();

        gate.observe(DIR, List.of(), 600);
        assertThat(gate.takeWork().vanished()).containsExactly("g");
    }

    @Test
    void aScanOfThePreviousGameDirectoryIsIgnored() {
        gate.moveTo(Path.of("/other"));
        gate.observe(DIR, List.of(seen("g", 10, 1, 0)), 0);

        assertThat(gate.takeWork().toHash()).isEmpty();
    }
}
