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
import org.osgi.service.component.annotations.Modified;
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
        // "_party_key" is the private property ".party.key": Declarative Services copies only public
        // configuration properties onto the service, so the secret is not shown to every bundle and console
        String _party_key() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(IdentityComponent.class);

    /** One consistent set: a change replaces it whole, so readers never mix an old key with a new certificate. */
    private volatile Material current;

    @Activate
    public IdentityComponent(Config config) throws IOException, GeneralSecurityException {
        current = load(config);
        LOG.info("peer id {} ({}){}", current.peerId(), current.name(),
                current.partyKey().isPresent() ? ", in a party with a key" : "");
    }

    /**
     * Applies a new name, party key or state folder in place; the QUIC server and client are told through
     * their references' updated callbacks (this service's properties change with the configuration) and
     * renew their TLS contexts only when the key material or the party key changed.
     */
    @Modified
    void modified(Config config) throws IOException, GeneralSecurityException {
        Material before = current;
        Material after = load(config);
        current = after;
        if (!after.peerId().equals(before.peerId())) {
            LOG.info("peer id is now {} ({}), from the key in {}", after.peerId(), after.name(), config.state_dir());
        } else if (!after.name().equals(before.name())) {
            LOG.info("peer name is now {}", after.name());
        }
    }

    private static Material load(Config config) throws IOException, GeneralSecurityException {
        IdentityStore.KeyMaterial keys = IdentityStore.loadOrCreate(Path.of(config.state_dir()).resolve("identity"));
        String peerId = PeerIds.peerId(keys.certificate());
        String name = config.name().isBlank() ? hostName(peerId) : config.name().strip();
        return new Material(keys.privateKey(), keys.certificate(), peerId, PeerIds.fingerprint(keys.certificate()),
                name, PartyKey.of(config._party_key()));
    }

    /** This identity as it is now, unchanging. */
    @Override
    public TlsIdentity current() {
        return current;
    }

    private static String hostName(String peerId) {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "lanspread-" + peerId.substring(0, 8);
        }
    }

    @Override
    public String peerId() {
        return current.peerId();
    }

    @Override
    public String name() {
        return current.name();
    }

    @Override
    public String certificateFingerprint() {
        return current.certificateFingerprint();
    }

    @Override
    public PrivateKey privateKey() {
        return current.privateKey();
    }

    @Override
    public X509Certificate certificate() {
        return current.certificate();
    }

    @Override
    public Optional<PartyKey> partyKey() {
        return current.partyKey();
    }

    /** The identity at one moment. */
    private record Material(PrivateKey privateKey, X509Certificate certificate, String peerId,
            String certificateFingerprint, String name, Optional<PartyKey> partyKey) implements TlsIdentity {
        @Override
        public TlsIdentity current() {
            return this;
        }
    }
}
