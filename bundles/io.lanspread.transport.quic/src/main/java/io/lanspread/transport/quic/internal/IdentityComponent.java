package io.lanspread.transport.quic.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
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
    }

    private static final Logger LOG = LoggerFactory.getLogger(IdentityComponent.class);

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final String peerId;
    private final String fingerprint;
    private final String name;

    @Activate
    public IdentityComponent(Config config) throws IOException, GeneralSecurityException {
        IdentityStore.KeyMaterial keys = IdentityStore.loadOrCreate(Path.of(config.state_dir()).resolve("identity"));
        this.privateKey = keys.privateKey();
        this.certificate = keys.certificate();
        this.peerId = PeerIds.peerId(certificate);
        this.fingerprint = PeerIds.fingerprint(certificate);
        this.name = config.name().isBlank() ? hostName() : config.name().strip();
        LOG.info("peer id {} ({})", peerId, name);
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
}
