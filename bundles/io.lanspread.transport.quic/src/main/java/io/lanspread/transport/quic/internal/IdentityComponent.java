package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.peer.LocalIdentity;

/**
 * This peer's identity: an EC P-256 key and self-signed certificate kept in {@code state.dir/identity/},
 * created on first start. The peer id is derived from the certificate (see {@link PeerIds}).
 */
@Component(name = "io.lanspread.identity", service = {LocalIdentity.class, TlsIdentity.class})
@Designate(ocd = IdentityComponent.Config.class)
public final class IdentityComponent implements TlsIdentity {

    @ObjectClassDefinition(name = "lanspread identity")
    public @interface Config {
        @AttributeDefinition(description = "Directory holding this peer's state; the key lives in its identity/ folder")
        String state_dir() default ".lanspread";

        @AttributeDefinition(description = "Name shown to other peers; empty means the host name")
        String name() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Secret shared by the peers of a "
                + "closed party: with one, this peer serves and lists only peers that prove the same secret on "
                + "each connection; empty means an open party (every peer on the network)")
        String party_key() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(IdentityComponent.class);

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final String peerId;
    private final String fingerprint;
    private final String name;
    private final Optional<PartyKey> partyKey;

    @Activate
    public IdentityComponent(Config config) throws IOException, GeneralSecurityException {
        IdentityStore.KeyMaterial keys = IdentityStore.loadOrCreate(Path.of(config.state_dir()).resolve("identity"));
        this.privateKey = keys.privateKey();
        this.certificate = keys.certificate();
        this.peerId = PeerIds.peerId(certificate);
        this.fingerprint = PeerIds.fingerprint(certificate);
        this.name = config.name().isBlank() ? hostName() : config.name().strip();
        this.partyKey = PartyKey.of(config.party_key());
        LOG.info("peer id {} ({}){}", peerId, name, partyKey.isPresent() ? ", in a party with a key" : "");
    }

    private String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "lanspread-" + peerId.substring(0, 8);
        }
    }

    @Override
    public String peerId() {
        return peerId;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String certificateFingerprint() {
        return fingerprint;
    }

    @Override
    public PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public Optional<PartyKey> partyKey() {
        return partyKey;
    }
}
