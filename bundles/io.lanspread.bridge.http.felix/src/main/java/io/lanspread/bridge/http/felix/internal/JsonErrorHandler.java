package io.lanspread.bridge.http.felix.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Jetty's error handler with the API's JSON instead of HTML. {@link #badMessageError} answers what the
 * HTTP parser refuses before any handler runs (the server's error handler is the only code Jetty asks
 * then); {@link #generateAcceptableResponse} answers errors of the servlet layer that no whiteboard error
 * page took, whatever the request's {@code Accept} header says.
 */
final class JsonErrorHandler extends ErrorHandler {

    JsonErrorHandler() {
        setCacheControl("no-store");
        setShowStacks(false);
        setShowServlet(false);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        if (HttpStatus.hasNoBody(status)) {
            return BufferUtil.EMPTY_BUFFER;
        }
        fields.put(HttpHeader.CONTENT_TYPE, JsonError.CONTENT_TYPE);
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(JsonError.body(ErrorTexts.forRefusal(status, reason)));
    }

    /** Every method gets a body, not only GET, POST and HEAD (Jetty drops it for HEAD itself). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        byte[] body = JsonError.body(ErrorTexts.forRefusal(code, message));
        response.setContentType(JsonError.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
