package io.lanspread.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.lanspread.api.game.GameFile;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.PeerRequestException;

class FileListVoteTest {

    private static final List<GameFile> TREE = List.of(new GameFile("a.bin", 10, false), new GameFile("version.ini", 3, false));
    private static final List<GameFile> OTHER = List.of(new GameFile("a.bin", 11, false), new GameFile("version.ini", 3, false));

    @Test
    void aSinglePeerIsItsOwnMajority() {
        FileListVote.Outcome outcome = FileListVote.decide("g", answers(peer("a"), TREE));

        assertThat(outcome.files()).isEqualTo(TREE);
        assertThat(outcome.agreeing()).extracting(PeerInfo::peerId).containsExactly("a");
        assertThat(outcome.outvoted()).isEmpty();
    }

    @Test
    void theMajorityTreeWinsAndTheOutvotedPeerIsNoSource() {
        FileListVote.Outcome outcome = FileListVote.decide("g",
                answers(peer("a"), OTHER, peer("b"), TREE, peer("c"), TREE));

        assertThat(outcome.files()).isEqualTo(TREE);
        assertThat(outcome.agreeing()).extracting(PeerInfo::peerId).containsExactly("b", "c");
        assertThat(outcome.outvoted()).extracting(PeerInfo::peerId).containsExactly("a");
    }

    @Test
    void aTieIsRefusedRatherThanGuessed() {
        assertThatThrownBy(() -> FileListVote.decide("g", answers(peer("a"), OTHER, peer("b"), TREE)))
                .isInstanceOfSatisfying(PeerRequestException.class,
                        e -> assertThat(e.reason()).isEqualTo(PeerRequestException.Reason.PROTOCOL))
                .hasMessageContaining("disagree");
    }

    @Test
    void noAnswerIsNoMajority() {
        assertThatThrownBy(() -> FileListVote.decide("g", Map.of())).isInstanceOf(PeerRequestException.class);
    }

    private static PeerInfo peer(String id) {
        return new PeerInfo(id, id, new InetSocketAddress("127.0.0.1", 1000 + id.charAt(0)), Instant.EPOCH, List.of());
    }

    private static Map<PeerInfo, List<GameFile>> answers(Object... peerThenTree) {
        Map<PeerInfo, List<GameFile>> map = new LinkedHashMap<>();
        for (int i = 0; i < peerThenTree.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<GameFile> tree = (List<GameFile>) peerThenTree[i + 1];
            map.put((PeerInfo) peerThenTree[i], tree);
        }
        return map;
    }
}
