package io.lanspread.bridge.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Off loopback, nothing but the login page passes without the token; on loopback nothing changes. */
class AccessFilterTest {

    @TempDir
    Path state;

    private AccessFilter filter;

    @BeforeEach
    void listenOnTheLan() {
        filter = new AccessFilter(config(state.toString(), "auto"));
        filter.addRuntime(Map.of("service.id", 1L, "osgi.http.endpoint", new String[] {"http://0.0.0.0:8181/"}));
    }

    @Test
    void onLoopbackEveryRequestPassesAndNoTokenIsMade() throws Exception {
        AccessFilter local = new AccessFilter(config(state.toString(), "auto"));
        local.addRuntime(Map.of("service.id", 2L, "osgi.http.endpoint", "http://127.0.0.1:42421/"));

        Exchange e = run(local, "GET", "/api", "/status", Map.of(), null);

        assertThat(e.passed).isTrue();
        assertThat(state.resolve("http-token")).doesNotExist();
    }

    @Test
    void withoutTheTokenTheApiIs401JsonAndThePageIsTheLogin() throws Exception {
        Exchange api = run(filter, "GET", "/api", "/status", Map.of(), null);
        Exchange events = run(filter, "GET", "/api/events", null, Map.of(), null);
        Exchange page = run(filter, "GET", "", "/", Map.of(), null);
        Exchange wrong = run(filter, "GET", "/api", "/games", Map.of("Authorization", "Bearer nope"), null);

        assertThat(api.passed).isFalse();
        assertThat(api.status).isEqualTo(401);
        assertThat(api.headers.get("Content-Type")).startsWith("application/json");
        assertThat(api.body()).startsWith("{\"error\":\"This peer's page and API need its token");
        assertThat(events.status).isEqualTo(401);
        assertThat(wrong.status).isEqualTo(401);
        assertThat(page.passed).isFalse();
        assertThat(page.redirect).isEqualTo("/login");
        assertThat(state.resolve("http-token")).exists();
    }

    @Test
    void theLoginPageAndItsFilesAreServedWithoutIt() throws Exception {
        assertThat(run(filter, "GET", "/login", null, Map.of(), null).passed).isTrue();
        assertThat(run(filter, "GET", "/assets", "/style.css", Map.of(), null).passed).isTrue();
        assertThat(run(filter, "POST", "/assets", "/style.css", Map.of(), null).passed).isFalse();
    }

    @Test
    void aScriptWithTheTokenPassesAndAnyHostIsAccepted() throws Exception {
        run(filter, "GET", "/api", "/status", Map.of(), null); // makes the token
        String token = Files.readString(state.resolve("http-token")).trim();

        Exchange e = run(filter, "GET", "/api", "/status", Map.of("Authorization", "Bearer " + token), null);

        assertThat(e.passed).isTrue();
        assertThat(e.attributes).containsEntry(AccessFilter.TOKEN_CHECKED, Boolean.TRUE);
        assertThat(OriginGuard.refusal("my-laptop.lan:8181", null, true)).isNull();
        assertThat(OriginGuard.refusal("my-laptop.lan:8181", null, false)).isNotNull();
    }

    @Test
    void theLoginFormSetsASessionCookieThatOpensEverything() throws Exception {
        run(filter, "GET", "/api", "/status", Map.of(), null);
        String token = Files.readString(state.resolve("http-token")).trim();

        Exchange failed = run(filter, "POST", "/api", "/login", Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Host", "10.0.0.2:8181", "Origin", "http://10.0.0.2:8181"), "wrong");
        Exchange login = run(filter, "POST", "/api", "/login", Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Host", "10.0.0.2:8181", "Origin", "http://10.0.0.2:8181"), token);
        Exchange crossSite = run(filter, "POST", "/api", "/login", Map.of("Content-Type",
                "application/x-www-form-urlencoded", "Host", "10.0.0.2:8181", "Origin", "http://evil.example"), token);

        assertThat(failed.status).isEqualTo(303);
        assertThat(failed.headers.get("Location")).isEqualTo("/login?failed");
        assertThat(failed.headers).doesNotContainKey("Set-Cookie");
        assertThat(login.status).isEqualTo(303);
        assertThat(login.headers.get("Location")).isEqualTo("/");
        String cookie = login.headers.get("Set-Cookie");
        assertThat(cookie).startsWith(AccessFilter.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict")
                .doesNotContain(token);
        assertThat(crossSite.headers).doesNotContainKey("Set-Cookie");

        String session = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        Exchange withCookie = run(filter, "GET", "/api/events", null, Map.of("Cookie", session), null);
        assertThat(withCookie.passed).isTrue();
    }

    @Test
    void alwaysAsksForTheTokenEvenOnLoopback() throws Exception {
        AccessFilter strict = new AccessFilter(config(state.toString(), "always"));
        strict.addRuntime(Map.of("service.id", 3L, "osgi.http.endpoint", "http://127.0.0.1:42421/"));

        assertThat(run(strict, "GET", "/api", "/status", Map.of(), null).status).isEqualTo(401);
    }

    // ------------------------------------------------------------------ fakes

    private static AccessFilter.Config config(String stateDir, String require) {
        return new AccessFilter.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AccessFilter.Config.class;
            }

            @Override
            public String state_dir() {
                return stateDir;
            }

            @Override
            public String require_token() {
                return require;
            }
        };
    }

    private static final class Exchange {
        boolean passed;
        int status = 200;
        String redirect;
        final Map<String, String> headers = new HashMap<>();
        final Map<String, Object> attributes = new HashMap<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        String body() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** A Cookie header here is the session cookie's value; {@code formToken} the login form's token field. */
    private static Exchange run(AccessFilter filter, String method, String servletPath, String pathInfo,
            Map<String, String> headers, String formToken) throws Exception {
        Exchange e = new Exchange();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(AccessFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                case "getMethod" -> method;
                case "getServletPath" -> servletPath;
                case "getPathInfo" -> pathInfo;
                case "getHeader" -> "Cookie".equals(args[0]) ? null : headers.get((String) args[0]);
                case "getContentType" -> headers.get("Content-Type");
                case "getParameter" -> "token".equals(args[0]) ? formToken : null;
                case "getCookies" -> headers.containsKey("Cookie")
                        ? new Cookie[] {new Cookie(AccessFilter.COOKIE, headers.get("Cookie"))} : null;
                case "getRemoteAddr" -> "10.0.0.9";
                case "setAttribute" -> e.attributes.put((String) args[0], args[1]);
                case "getAttribute" -> e.attributes.get((String) args[0]);
                default -> null;
                });
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                e.bytes.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        };
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(AccessFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                switch (m.getName()) {
                case "setStatus" -> e.status = (Integer) args[0];
                case "setHeader", "addHeader" -> e.headers.put((String) args[0], (String) args[1]);
                case "setContentType" -> e.headers.put("Content-Type", (String) args[0]);
                case "sendRedirect" -> {
                    e.status = 302;
                    e.redirect = (String) args[0];
                }
                case "getOutputStream" -> {
                    return out;
                }
                default -> {
                }
                }
                return null;
            });
        filter.doFilter(request, response, (req, res) -> e.passed = true);
        return e;
    }

}
