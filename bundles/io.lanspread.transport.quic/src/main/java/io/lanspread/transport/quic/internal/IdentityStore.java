package io.lanspread.transport.quic.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Loads this peer's EC P-256 key and self-signed certificate from a directory ({@code key.pem}, PKCS#8,
 * owner-only; {@code cert.pem}), creating both on first use.
 */
final class IdentityStore {

    static final String KEY_FILE = "key.pem";
    static final String CERT_FILE = "cert.pem";

    record KeyMaterial(PrivateKey privateKey, X509Certificate certificate) {
    }

    private IdentityStore() {
    }

    static KeyMaterial loadOrCreate(Path dir) throws IOException, GeneralSecurityException {
        Path keyFile = dir.resolve(KEY_FILE);
        Path certFile = dir.resolve(CERT_FILE);
        if (Files.isRegularFile(keyFile) && Files.isRegularFile(certFile)) {
            return load(keyFile, certFile);
        }
        Files.createDirectories(dir);
        KeyMaterial created = generate();
        writeOwnerOnly(keyFile, pem("PRIVATE KEY", created.privateKey().getEncoded()));
        writeOwnerOnly(certFile, pem("CERTIFICATE", created.certificate().getEncoded()));
        return created;
    }

    private static KeyMaterial load(Path keyFile, Path certFile) throws IOException, GeneralSecurityException {
        X509Certificate cert;
        try (var in = new ByteArrayInputStream(Files.readAllBytes(certFile))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(unpem(Files.readString(keyFile, StandardCharsets.US_ASCII))));
        if (!matches(key, cert)) {
            throw new GeneralSecurityException(keyFile + " does not belong to " + certFile
                    + "; remove both to create a new identity");
        }
        return new KeyMaterial(key, cert);
    }

    static KeyMaterial generate() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=lanspread");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(127, new SecureRandom()).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365L * 100))),
                subject, pair.getPublic());
        try {
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            return new KeyMaterial(pair.getPrivate(), new JcaX509CertificateConverter().getCertificate(builder.build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the certificate", e);
        }
    }

    private static boolean matches(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        byte[] probe = "lanspread identity check".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance("SHA256withECDSA");
        sign.initSign(key);
        sign.update(probe);
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(cert.getPublicKey());
        verify.update(probe);
        return verify.verify(signature);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    /** Writes through a temporary file created owner-only, then renames it into place. */
    private static void writeOwnerOnly(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("concurrent identity creation in " + target.getParent(), e);
        }
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
