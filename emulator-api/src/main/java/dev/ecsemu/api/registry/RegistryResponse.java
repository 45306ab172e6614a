package dev.ecsemu.api.registry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the registry answers: a status, headers, and either bytes or a range of an open blob file (which
 * the server sends without copying it through memory and closes once sent).
 */
public final class RegistryResponse {
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private FileChannel file;
    private long fileOffset;
    private long fileLength;

    RegistryResponse(int status) {
        this.status = status;
        headers.put("Docker-Distribution-API-Version", "registry/2.0");
    }

    RegistryResponse header(String name, Object value) {
        headers.put(name, String.valueOf(value));
        return this;
    }

    RegistryResponse body(String contentType, byte[] bytes) {
        headers.put("Content-Type", contentType);
        headers.put("Content-Length", Integer.toString(bytes.length));
        this.body = bytes;
        return this;
    }

    RegistryResponse json(byte[] bytes) {
        return body("application/json; charset=utf-8", bytes);
    }

    RegistryResponse text(String text) {
        return body("text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes {@code offset} to {@code offset + length} of an open file; the response owns the channel from now on. */
    RegistryResponse file(FileChannel channel, long offset, long length) {
        headers.put("Content-Length", Long.toString(length));
        this.file = channel;
        this.fileOffset = offset;
        this.fileLength = length;
        return this;
    }

    /** The answer to a HEAD: the same headers (Content-Length included), no body. */
    RegistryResponse withoutBody() {
        body = new byte[0];
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // Nothing was read from it; a failed close changes nothing for the client.
            }
            file = null;
        }
        headers.putIfAbsent("Content-Length", "0");
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    /** The body when it is bytes (empty for a file body and for HEAD). */
    public byte[] body() {
        return body;
    }

    /** The open file to send from, or null. */
    public FileChannel file() {
        return file;
    }

    public long fileOffset() {
        return fileOffset;
    }

    public long fileLength() {
        return fileLength;
    }
}
