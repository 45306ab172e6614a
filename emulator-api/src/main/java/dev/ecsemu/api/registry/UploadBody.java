package dev.ecsemu.api.registry;

import dev.ecsemu.core.registry.BlobUpload;
import io.netty.buffer.ByteBuf;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a PATCH, PUT or monolithic POST: its chunks go straight into the upload's file as they
 * arrive, then {@code finish} answers (the upload's progress, or the committed blob).
 */
final class UploadBody implements RegistryRequest {
    private static final Logger LOG = LoggerFactory.getLogger(UploadBody.class);

    private final BlobUpload upload;
    private final Function<BlobUpload, RegistryResponse> finish;
    private RuntimeException failure;

    UploadBody(BlobUpload upload, Function<BlobUpload, RegistryResponse> finish) {
        this.upload = upload;
        this.finish = finish;
    }

    @Override
    public boolean wantsBody() {
        return true;
    }

    @Override
    public void body(ByteBuf chunk) {
        if (failure != null) {
            return;
        }
        try {
            for (ByteBuffer b : chunk.nioBuffers()) {
                upload.write(b);
            }
        } catch (IllegalStateException | UncheckedIOException e) {
            failure = e;
        }
    }

    @Override
    public RegistryResponse end() {
        if (failure instanceof IllegalStateException) {
            throw RegistryError.uploadUnknown(upload.id()); // finished or cancelled while this body arrived
        }
        if (failure != null) {
            throw failure;
        }
        return finish.apply(upload);
    }

    @Override
    public void abandon() {
        // The bytes received so far stay: the client may ask how far it got and resume. An upload nobody
        // resumes is removed by the registry's housekeeping.
        LOG.debug("Upload {} paused at {} bytes: the connection closed mid-body", upload.id(), upload.size());
    }
}
