package io.lanspread.bridge.http.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** A request and a response good enough for one servlet call, as a container at /api/* would give them. */
final class FakeHttp {

    static final int HTTP_PORT = 42421;

    private FakeHttp() {
    }

    /** @param rawTarget the undecoded path, starting with /api, and maybe a query after {@code ?} */
    static HttpServletRequest request(String method, String rawTarget) {
        return request(method, rawTarget, new byte[0]);
    }

    /** A request with a body. */
    static HttpServletRequest request(String method, String rawTarget, byte[] body) {
        int q = rawTarget.indexOf('?');
        String rawPath = q < 0 ? rawTarget : rawTarget.substring(0, q);
        String query = q < 0 ? null : rawTarget.substring(q + 1);
        String pathInfo = pathInfo(rawPath);
        ByteArrayInputStream bytes = new ByteArrayInputStream(body);
        ServletInputStream in = new ServletInputStream() {
            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (proxy, m, args) -> switch (m.getName()) {
                case "getMethod" -> method;
                case "getRequestURI" -> rawPath;
                case "getQueryString" -> query;
                case "getInputStream" -> in;
                case "getContextPath" -> "";
                case "getServletPath" -> "/api";
                case "getPathInfo" -> pathInfo;
                case "getLocalPort" -> HTTP_PORT;
                case "getAttribute" -> null;
                case "getHeader" -> "Host".equalsIgnoreCase((String) args[0]) ? "127.0.0.1:" + HTTP_PORT : null;
                case "toString" -> method + " " + rawPath;
                default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** What a container would decode; it would have refused a malformed path, which our servlet never reads. */
    private static String pathInfo(String rawPath) {
        try {
            return rawPath.length() > 4
                    ? java.net.URLDecoder.decode(rawPath.substring(4).replace("+", "%2B"), StandardCharsets.UTF_8)
                    : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static final class Response {
        int status = 200;
        String contentType;
        int contentLength = -1;
        final Map<String, String> headers = new ConcurrentHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        String body() {
            return body.toString(StandardCharsets.UTF_8);
        }

        HttpServletResponse servletResponse() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void write(int b) {
                    body.write(b);
                }
            };
            return (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] { HttpServletResponse.class }, (proxy, m, args) -> {
                        switch (m.getName()) {
                        case "setStatus" -> status = (Integer) args[0];
                        case "setContentType" -> contentType = (String) args[0];
                        case "setContentLength" -> contentLength = (Integer) args[0];
                        case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                        }
                        return null;
                    });
        }
    }
}
