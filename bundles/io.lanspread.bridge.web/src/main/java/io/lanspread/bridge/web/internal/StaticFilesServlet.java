package io.lanspread.bridge.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;


/**
 * Serves the page's static files from this bundle, with GET and HEAD alike; a path that names no file is a
 * JSON 404 in the API's shape. The page gets its data from the JSON API and its live updates from
 * {@code /api/events}.
 */
abstract class StaticFilesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient WebFiles files;

    StaticFilesServlet() {
        this.files = new WebFiles(StaticFilesServlet.class.getClassLoader(), "web");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request, response, true);
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request, response, false);
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, boolean withBody) throws IOException {
        String path = pathOf(request);
        WebFiles.WebFile file = files.find(path);
        SecurityHeaders.apply(response);
        if (file == null) {
            byte[] body = ("{\"error\":\"There is no page at " + jsonEscape(path) + ".\"}").getBytes(StandardCharsets.UTF_8);
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("application/json; charset=utf-8");
            response.setContentLength(body.length);
            if (withBody) {
                response.getOutputStream().write(body);
            }
            return;
        }
        response.setHeader("ETag", file.etag());
        // the page itself is revalidated each time, so a new version shows at once; its files carry the same check
        response.setHeader("Cache-Control", "no-cache");
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (file.etag().equals(ifNoneMatch)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(file.contentType());
        response.setContentLength(file.bytes().length);
        if (withBody) {
            response.getOutputStream().write(file.bytes());
        }
    }

    /** The path below the context: {@code /} for the root, {@code /assets/app.js} for a file. */
    static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String info = request.getPathInfo() == null ? "" : request.getPathInfo();
        String path = servletPath + info;
        return path.isEmpty() || path.equals("/index.html") ? "/" : path;
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
