package io.lanspread.bridge.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletResponse;

/** An error answer in the API's shape, {@code {"error": "<sentence>"}}, for code outside the API servlet. */
final class JsonError {

    private JsonError() {
    }

    static void send(HttpServletResponse response, int status, String message) throws IOException {
        byte[] body = Json.write(Views.error(message)).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json; charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
