package io.lanspread.api.control;

import java.nio.file.Path;

/** This peer: who it is, where it listens, what it serves. */
public record PeerStatus(String peerId, String name, int quicPort, Path gamesDir) {
}
