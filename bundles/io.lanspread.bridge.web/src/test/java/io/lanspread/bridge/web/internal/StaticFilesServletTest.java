package io.lanspread.bridge.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

/** The page and its files come from the bundle; nothing else can be read through the servlet. */
class StaticFilesServletTest {

    private final StaticFilesServlet servlet = new AssetsServlet();

    @Test
    void theRootServesThePageWithItsSecurityHeaders() throws Exception {
        Reply reply = call("GET", "", null, null);

        assertThat(reply.status).isEqualTo(200);
        assertThat(reply.headers.get("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(reply.body()).contains("<title>lanspread</title>").contains("/assets/app.js");
        assertThat(reply.headers.get("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(reply.headers.get("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void everyFileThePageNamesIsServedWithItsType() throws Exception {
        String page = call("GET", "", null, null).body();
        for (String[] file : new String[][] {
                {"/app.js", "text/javascript; charset=utf-8"}, {"/format.js", "text/javascript; charset=utf-8"},
                {"/chart.js", "text/javascript; charset=utf-8"}, {"/style.css", "text/css; charset=utf-8"},
                {"/icon.svg", "image/svg+xml"}}) {
            assertThat(page).contains("/assets" + file[0]);
            Reply reply = call("GET", "/assets", file[0], null);
            assertThat(reply.status).as(file[0]).isEqualTo(200);
            assertThat(reply.headers.get("Content-Type")).as(file[0]).isEqualTo(file[1]);
            assertThat(reply.bytes.size()).as(file[0]).isGreaterThan(100);
        }
    }

    @Test
    void theLoginPagePostsTheTokenToTheLoginApi() throws Exception {
        Reply reply = call("GET", "/login", null, null);

        assertThat(reply.status).isEqualTo(200);
        assertThat(reply.headers.get("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(reply.body()).contains("<form method=\"post\" action=\"/api/login\"")
                .contains("name=\"token\"").contains("/assets/login.js");
        assertThat(call("GET", "/assets", "/login.js", null).status).isEqualTo(200);
    }

    @Test
    void headAnswersLikeGetWithoutABody() throws Exception {
        Reply get = call("GET", "/assets", "/app.js", null);
        Reply head = call("HEAD", "/assets", "/app.js", null);

        assertThat(head.status).isEqualTo(200);
        assertThat(head.headers.get("Content-Length")).isEqualTo(get.headers.get("Content-Length"));
        assertThat(head.headers.get("ETag")).isEqualTo(get.headers.get("ETag"));
        assertThat(head.bytes.size()).isZero();
    }

    @Test
    void anUnchangedFileIsNotSentAgain() throws Exception {
        String etag = call("GET", "/assets", "/style.css", null).headers.get("ETag");

        Reply again = call("GET", "/assets", "/style.css", etag);

        assertThat(again.status).isEqualTo(304);
        assertThat(again.bytes.size()).isZero();
    }

    @Test
    void pathsOutsideTheFolderAndUnknownFilesAreAJson404() throws Exception {
        for (String path : new String[] {"/../../META-INF/MANIFEST.MF", "/..%2fx", "/PageServlet.class",
                "/io/lanspread/bridge/web/internal/PageServlet.class", "/missing.js", "//app.js", "/.hidden.js"}) {
            Reply reply = call("GET", "/assets", path, null);
            assertThat(reply.status).as(path).isEqualTo(404);
            assertThat(reply.headers.get("Content-Type")).as(path).startsWith("application/json");
            assertThat(reply.body()).as(path).startsWith("{\"error\":\"There is no page at ");
        }
    }

    // ------------------------------------------------------------------ a request and response just good enough

    private Reply call(String method, String servletPath, String pathInfo, String ifNoneMatch) throws Exception {
        Reply reply = new Reply();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                case "getMethod" -> method;
                case "getServletPath" -> servletPath;
                case "getPathInfo" -> pathInfo;
                case "getHeader" -> "If-None-Match".equalsIgnoreCase((String) args[0]) ? ifNoneMatch : null;
                case "getProtocol" -> "HTTP/1.1";
                case "getDateHeader" -> -1L;
                default -> null;
                });
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                reply.bytes.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                reply.bytes.write(b, off, len);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                switch (m.getName()) {
                case "setStatus" -> reply.status = (Integer) args[0];
                case "setHeader" -> reply.headers.put((String) args[0], (String) args[1]);
                case "setContentType" -> reply.headers.put("Content-Type", (String) args[0]);
                case "setContentLength" -> reply.headers.put("Content-Length", String.valueOf(args[0]));
                case "getOutputStream" -> {
                    return out;
                }
                case "containsHeader" -> {
                    return reply.headers.containsKey((String) args[0]);
                }
                default -> {
                }
                }
                return null;
            });
        servlet.service(request, response);
        return reply;
    }

    private static final class Reply {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        String body() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
