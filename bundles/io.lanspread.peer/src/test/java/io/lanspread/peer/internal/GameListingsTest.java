package io.lanspread.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.lanspread.api.control.GameListing;
import io.lanspread.api.game.Game;
import io.lanspread.api.peer.RemoteGame;

/** Local and remote games merge by id; the installed version shows beside the newest one. */
class GameListingsTest {

    @Test
    void anOlderInstalledVersionIsShownBesideTheNewestAsAnUpdate() {
        List<GameListing> merged = GameListings.merge(List.of(new Game("quake", "Quake", "1.0", 10)),
                List.of(new RemoteGame(new Game("quake", "Quake", "1.1", 12), List.of("p1", "p2"))));

        assertThat(merged).hasSize(1);
        GameListing quake = merged.get(0);
        assertThat(quake.game().version()).isEqualTo("1.1");
        assertThat(quake.local()).isFalse();
        assertThat(quake.installedVersion()).isEqualTo("1.0");
        assertThat(quake.updateAvailable()).isTrue();
        assertThat(quake.peerIds()).containsExactly("p1", "p2");
    }

    @Test
    void theNewestInstalledIsNoUpdateAndARemoteOnlyGameIsNotInstalled() {
        List<GameListing> merged = GameListings.merge(List.of(new Game("doom", "Doom", "2.0", 10)),
                List.of(new RemoteGame(new Game("doom", "Doom", "1.9", 12), List.of("p1")),
                        new RemoteGame(new Game("hexen", "Hexen", "1.0", 5), List.of("p2"))));

        GameListing doom = merged.get(0);
        assertThat(doom.local()).isTrue();
        assertThat(doom.installedVersion()).isEqualTo("2.0");
        assertThat(doom.updateAvailable()).isFalse();
        assertThat(doom.peerIds()).as("no peer has the newest version").isEmpty();
        GameListing hexen = merged.get(1);
        assertThat(hexen.installedVersion()).isNull();
        assertThat(hexen.updateAvailable()).isFalse();
    }
}
