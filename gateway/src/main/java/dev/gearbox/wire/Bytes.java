package dev.gearbox.wire;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;

/**
 * A buffer's bytes as an array range, without copying them when the buffer is backed by an array, as the
 * heap buffers Vert.x reads bodies and chunks into are. {@link Buffer#getBytes()} copies on every call,
 * which the profile showed as one copy of every answer and of every stream chunk. The range is a view:
 * valid while nobody writes to the buffer, which nothing on the request path does once it is read.
 */
public record Bytes(byte[] array, int offset, int length) {

    public static Bytes of(Buffer buffer) {
        if (buffer instanceof BufferImpl impl) {
            ByteBuf bytes = impl.byteBuf();
            if (bytes.hasArray()) {
                return new Bytes(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
            }
        }
        byte[] copy = buffer.getBytes();
        return new Bytes(copy, 0, copy.length);
    }
}
