package io.lanspread.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The default values of a configuration PID as the shipped bundles declare them (their
 * OSGI-INF/metatype descriptors), so tests size their windows from the real defaults rather than copies.
 */
public final class MetatypeDefaults {

    private MetatypeDefaults() {
    }

    /** Attribute id -> default value of every attribute of {@code pid} in the runtime's bundles. */
    public static Map<String, String> of(String pid) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Path jar : Distribution.bundles()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                Enumeration<JarEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().startsWith("OSGI-INF/metatype/") && e.getName().endsWith(".xml")) {
                        try (InputStream in = file.getInputStream(e)) {
                            read(in, pid, result);
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + jar, e);
            }
        }
        return result;
    }

    /** The first attribute of {@code pid} whose id contains one of {@code fragments}, as id -> default. */
    public static Optional<Map.Entry<String, String>> find(String pid, String... fragments) {
        for (Map.Entry<String, String> e : of(pid).entrySet()) {
            for (String f : fragments) {
                if (e.getKey().contains(f)) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    /** A duration attribute's default in milliseconds; the unit is taken from the id (millis/ms or seconds). */
    public static long millis(Map.Entry<String, String> attribute) {
        String id = attribute.getKey();
        String value = attribute.getValue().split(",")[0].trim();
        double number = Double.parseDouble(value);
        if (id.endsWith("millis") || id.endsWith(".ms") || id.endsWith("milliseconds")) {
            return (long) number;
        }
        if (id.endsWith("seconds") || id.endsWith(".s")) {
            return (long) (number * 1000);
        }
        throw new IllegalArgumentException("no unit in attribute id " + id);
    }

    private static void read(InputStream in, String pid, Map<String, String> out) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            doc = f.newDocumentBuilder().parse(in);
        } catch (Exception e) {
            throw new IOException("bad metatype descriptor", e);
        }
        NodeList designates = doc.getElementsByTagName("Designate");
        for (int i = 0; i < designates.getLength(); i++) {
            Element d = (Element) designates.item(i);
            if (!pid.equals(d.getAttribute("pid"))) {
                continue;
            }
            NodeList objects = d.getElementsByTagName("Object");
            String ocdRef = objects.getLength() > 0 ? ((Element) objects.item(0)).getAttribute("ocdref") : "";
            NodeList ocds = doc.getElementsByTagName("OCD");
            for (int j = 0; j < ocds.getLength(); j++) {
                Element ocd = (Element) ocds.item(j);
                if (!ocd.getAttribute("id").equals(ocdRef)) {
                    continue;
                }
                NodeList ads = ocd.getElementsByTagName("AD");
                for (int k = 0; k < ads.getLength(); k++) {
                    Element ad = (Element) ads.item(k);
                    out.put(ad.getAttribute("id"), ad.getAttribute("default"));
                }
            }
        }
    }
}
