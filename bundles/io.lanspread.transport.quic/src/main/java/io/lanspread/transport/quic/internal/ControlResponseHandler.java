package io.lanspread.transport.quic.internal;

import java.util.function.Function;

import io.lanspread.api.transport.PeerRequestException;

import io.lanspread.protocol.MessageCodec;
import io.lanspread.protocol.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/** A response that is a single frame: the mapper turns the expected type into the result. */
final class ControlResponseHandler<R extends Response, T> extends ResponseStreamHandler<T> {

    private final Class<R> expected;
    private final Function<R, T> mapper;

    ControlResponseHandler(Completion<T> completion, MessageCodec codec, Class<R> expected, Function<R, T> mapper) {
        super(completion, codec);
        this.expected = expected;
        this.mapper = mapper;
    }

    @Override
    protected void onResponse(ChannelHandlerContext ctx, Response response) {
        if (!expected.isInstance(response)) {
            fail(failureOf(response));
            return;
        }
        T result;
        try {
            result = mapper.apply(expected.cast(response));
        } catch (PeerRequestException e) {
            fail(e);
            return;
        }
        completion.succeed(result);
    }

    @Override
    protected void onBody(ChannelHandlerContext ctx, ByteBuf body) {
        // already settled with the header; trailing bytes are ignored
    }
}
