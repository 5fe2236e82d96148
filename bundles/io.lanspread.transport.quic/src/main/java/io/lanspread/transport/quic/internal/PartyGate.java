package io.lanspread.transport.quic.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;

import io.lanspread.protocol.ErrorCode;
import io.lanspread.protocol.Request;
import io.lanspread.protocol.Response;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;

/**
 * The server's side of the party key: with a key, a connection is served nothing (reads and notices alike)
 * until it proved the key with a {@link Request.PartyProof}; one attempt per connection, so guessing costs a
 * handshake per guess. Without a key every request is served as before and a proof is refused, so a client
 * that expects a party learns that this peer is not in it.
 */
final class PartyGate {

    private static final AttributeKey<Boolean> PROVEN = AttributeKey.valueOf(PartyGate.class, "proven");
    private static final AttributeKey<Boolean> ATTEMPTED = AttributeKey.valueOf(PartyGate.class, "attempted");

    static final String NOT_PROVEN = "the peer serves only members of its party, and this connection has not "
            + "proven the party key";

    private final Optional<PartyKey> key;
    private final X509Certificate serverCertificate;
    private final RefusalLog refusals;

    PartyGate(Optional<PartyKey> key, X509Certificate serverCertificate, RefusalLog refusals) {
        this.key = key;
        this.serverCertificate = serverCertificate;
        this.refusals = refusals;
    }

    /**
     * Whether {@code request} may be served on {@code connection} now (event loop); a proof always goes on to
     * {@link #answer}.
     */
    boolean admits(QuicChannel connection, Request request) {
        return key.isEmpty() || request instanceof Request.PartyProof || Boolean.TRUE.equals(connection.attr(PROVEN).get());
    }

    /** The refusal of a request {@link #admits} turned down. */
    Response.Error refusal(QuicChannel connection) {
        refusals.refused(address(connection), "a request before the party key was proven");
        return new Response.Error(ErrorCode.NOT_IN_PARTY, NOT_PROVEN);
    }

    /** Checks a proof (on the I/O executor) and answers with this peer's own proof, or refuses it. */
    Response answer(QuicChannel connection, Request.PartyProof proof) {
        if (key.isEmpty()) {
            return new Response.Error(ErrorCode.NOT_IN_PARTY, "it has no party key");
        }
        if (connection.attr(ATTEMPTED).setIfAbsent(Boolean.TRUE) != null) {
            return new Response.Error(ErrorCode.NOT_IN_PARTY, "the party key may be proven only once per connection");
        }
        Optional<X509Certificate> client = CallerIdentity.certificate(connection);
        if (client.isEmpty()) {
            return new Response.Error(ErrorCode.NOT_IN_PARTY,
                    "a party key proof needs a client certificate, and the caller presented none");
        }
        PartyKey party = key.get();
        if (!party.isClientProof(proof.proof(), client.get(), serverCertificate)) {
            refusals.refused(address(connection), "a wrong party key proof");
            return new Response.Error(ErrorCode.NOT_IN_PARTY, "the party keys differ");
        }
        connection.attr(PROVEN).set(Boolean.TRUE); // before the answer is written, so the next request sees it
        return new Response.PartyProof(party.serverProof(client.get(), serverCertificate));
    }

    private static InetAddress address(QuicChannel connection) {
        SocketAddress remote = connection.remoteSocketAddress();
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress()
                : new InetSocketAddress(0).getAddress();
    }
}
