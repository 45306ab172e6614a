package dev.ecsemu.api.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.ecsemu.core.error.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Turns AWS JSON 1.1 bodies into SDK model objects and back, for every shape of every service,
 * driven by the field metadata each SDK model class carries ({@link SdkPojo#sdkFields()}).
 *
 * <p>Reading is strict where AWS is: a body that is not JSON or a member of the wrong JSON type is a
 * {@code SerializationException}; a missing required member or a value outside an enum is the
 * service's validation error. Unknown members are ignored, as AWS ignores them, so newer clients work.
 */
public final class ShapeCodec {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private static final BigDecimal MAX_EPOCH_SECONDS = BigDecimal.valueOf(31_556_889_864_403_199L);

    private final String validationErrorType;

    /** @param validationErrorType the error type the service uses for invalid members (InvalidParameterException, ValidationException) */
    public ShapeCodec(String validationErrorType) {
        this.validationErrorType = validationErrorType;
    }

    /**
     * Reads a request body (empty means {@code {}}) into the object the builder builds.
     *
     * <p>As AWS does, the whole body is deserialized before it is validated: a body that is not JSON
     * or has a member of the wrong JSON type is a {@code SerializationException} wherever the problem
     * is, and only a body that reads cleanly is refused for missing required members or values
     * outside an enum (all of them named in one message).
     */
    @SuppressWarnings("unchecked")
    public <T extends SdkPojo> T read(InputStream body, Supplier<? extends SdkPojo> builder) {
        List<String> invalid = new ArrayList<>();
        T result;
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                result = (T) finish(builder.get(), new HashSet<>(), "", invalid);
            } else {
                result = (T) readObject(p, builder, "", invalid);
                if (p.nextToken() != null) {
                    throw serialization("Unexpected content after the JSON object of the request body.");
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw serialization("The request body is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "." : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")."));
        } catch (CharConversionException e) {
            // The body is in memory: an I/O failure here can only be bytes that are not text in the encoding detected.
            throw serialization("The request body is not valid JSON: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!invalid.isEmpty()) {
            throw validation(invalid.size() + (invalid.size() == 1 ? " validation error" : " validation errors")
                    + " detected: " + String.join("; ", invalid));
        }
        return result;
    }

    /** Writes an SDK model object as a JSON object. */
    public void write(SdkPojo pojo, OutputStream out) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeObject(g, pojo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] write(SdkPojo pojo) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        write(pojo, out);
        return out.toByteArray();
    }

    private SdkPojo readObject(JsonParser p, Supplier<? extends SdkPojo> builderSupplier, String path, List<String> invalid)
            throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw wrongType(p, path.isEmpty() ? "the request body" : path, "a JSON object");
        }
        SdkPojo builder = builderSupplier.get();
        ShapeInfo shape = ShapeInfo.ofBuilder(builder);
        Set<String> present = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            SdkField<?> field = shape.field(name);
            if (field == null) {
                p.skipChildren();
                continue;
            }
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            String memberPath = path.isEmpty() ? name : path + "." + name;
            Object value = readValue(p, field, memberPath, invalid);
            Set<String> allowed = shape.enumValues(name);
            if (allowed != null) {
                checkEnum(value, allowed, memberPath, invalid);
            }
            field.set(builder, value);
            present.add(name);
        }
        return finish(builder, present, path, invalid);
    }

    private SdkPojo finish(SdkPojo builder, Set<String> present, String path, List<String> invalid) {
        for (String member : ShapeInfo.ofBuilder(builder).required()) {
            if (!present.contains(member)) {
                invalid.add("Value null at '" + (path.isEmpty() ? member : path + "." + member)
                        + "' failed to satisfy constraint: Member must not be null");
            }
        }
        return (SdkPojo) ((SdkBuilder<?, ?>) builder).build();
    }

    private Object readValue(JsonParser p, SdkField<?> field, String path, List<String> invalid) throws IOException {
        JsonToken t = p.currentToken();
        switch (field.marshallingType().getKnownType()) {
            case STRING:
                if (t != JsonToken.VALUE_STRING) {
                    throw wrongType(p, path, "a string");
                }
                return p.getText();
            case INTEGER:
                return (int) integral(p, path, Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer");
            case LONG:
                return integral(p, path, Long.MIN_VALUE, Long.MAX_VALUE, "a long integer");
            case SHORT:
                return (short) integral(p, path, Short.MIN_VALUE, Short.MAX_VALUE, "a short integer");
            case BYTE:
                return (byte) integral(p, path, Byte.MIN_VALUE, Byte.MAX_VALUE, "a byte");
            case FLOAT:
                return (float) number(p, path).doubleValue();
            case DOUBLE:
                return number(p, path).doubleValue();
            case BIG_DECIMAL:
                return number(p, path);
            case BOOLEAN:
                if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                    throw wrongType(p, path, "a boolean");
                }
                return t == JsonToken.VALUE_TRUE;
            case INSTANT:
                return instant(number(p, path), path);
            case SDK_BYTES:
                if (t != JsonToken.VALUE_STRING) {
                    throw wrongType(p, path, "a base64 string");
                }
                try {
                    return SdkBytes.fromByteArray(Base64.getDecoder().decode(p.getText()));
                } catch (IllegalArgumentException e) {
                    throw serialization("'" + path + "' is not valid base64.");
                }
            case SDK_POJO:
                return readObject(p, field.constructor(), path, invalid);
            case LIST:
                return readList(p, field.getTrait(ListTrait.class).memberFieldInfo(), path, invalid);
            case MAP:
                return readMap(p, field.getTrait(MapTrait.class).valueFieldInfo(), path, invalid);
            default:
                throw serialization("'" + path + "' has a type this emulator does not read ("
                        + field.marshallingType().getKnownType() + ").");
        }
    }

    private List<Object> readList(JsonParser p, SdkField<?> member, String path, List<String> invalid) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw wrongType(p, path, "a JSON array");
        }
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NULL) {
                out.add(readValue(p, member, path + "[" + i + "]", invalid));
            }
            i++;
        }
        return out;
    }

    private Map<String, Object> readMap(JsonParser p, SdkField<?> value, String path, List<String> invalid) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw wrongType(p, path, "a JSON object");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            if (p.currentToken() != JsonToken.VALUE_NULL) {
                out.put(key, readValue(p, value, path + "." + key, invalid));
            }
        }
        return out;
    }

    private long integral(JsonParser p, String path, long min, long max, String what) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(p, path, what);
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw serialization("'" + path + "' is out of range for " + what + ".");
        }
        long v = p.getLongValue();
        if (v < min || v > max) {
            throw serialization("'" + path + "' is out of range for " + what + " (" + v + ").");
        }
        return v;
    }

    private BigDecimal number(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw wrongType(p, path, "a number");
        }
        return p.getDecimalValue();
    }

    private Instant instant(BigDecimal epochSeconds, String path) {
        if (epochSeconds.abs().compareTo(MAX_EPOCH_SECONDS) > 0) {
            throw serialization("'" + path + "' is not a valid timestamp (epoch seconds): " + epochSeconds.toPlainString());
        }
        long seconds = epochSeconds.longValue();
        int nanos = epochSeconds.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private void checkEnum(Object value, Set<String> allowed, String path, List<String> invalid) {
        if (value instanceof String) {
            checkEnumValue((String) value, allowed, path, invalid);
        } else if (value instanceof List) {
            for (Object v : (List<?>) value) {
                checkEnumValue((String) v, allowed, path, invalid);
            }
        } else if (value instanceof Map) {
            for (Object v : ((Map<?, ?>) value).values()) {
                checkEnumValue((String) v, allowed, path, invalid);
            }
        }
    }

    private void checkEnumValue(String value, Set<String> allowed, String path, List<String> invalid) {
        if (!allowed.contains(value)) {
            invalid.add("Value '" + value + "' at '" + path + "' failed to satisfy constraint: Member must satisfy enum value set: "
                    + allowed);
        }
    }

    private void writeObject(JsonGenerator g, SdkPojo pojo) throws IOException {
        g.writeStartObject();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (value == null || value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap) {
                continue;
            }
            g.writeFieldName(field.locationName());
            writeValue(g, field, value);
        }
        g.writeEndObject();
    }

    private void writeValue(JsonGenerator g, SdkField<?> field, Object value) throws IOException {
        switch (field.marshallingType().getKnownType()) {
            case STRING:
                g.writeString((String) value);
                break;
            case INTEGER:
            case SHORT:
            case BYTE:
                g.writeNumber(((Number) value).intValue());
                break;
            case LONG:
                g.writeNumber((Long) value);
                break;
            case FLOAT:
            case DOUBLE:
                g.writeNumber(((Number) value).doubleValue());
                break;
            case BIG_DECIMAL:
                g.writeNumber((BigDecimal) value);
                break;
            case BOOLEAN:
                g.writeBoolean((Boolean) value);
                break;
            case INSTANT:
                // Epoch seconds with millisecond fraction, as ECS, ECR and Application Auto Scaling send them.
                // From seconds and nanos rather than toEpochMilli(), which overflows for instants the reader accepts.
                Instant instant = (Instant) value;
                g.writeNumber(BigDecimal.valueOf(instant.getEpochSecond())
                        .add(BigDecimal.valueOf(instant.getNano() / 1_000_000, 3))
                        .stripTrailingZeros().toPlainString());
                break;
            case SDK_BYTES:
                g.writeString(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArrayUnsafe()));
                break;
            case SDK_POJO:
                writeObject(g, (SdkPojo) value);
                break;
            case LIST:
                SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
                g.writeStartArray();
                for (Object v : (List<?>) value) {
                    if (v == null) {
                        g.writeNull();
                    } else {
                        writeValue(g, member, v);
                    }
                }
                g.writeEndArray();
                break;
            case MAP:
                SdkField<?> valueField = field.getTrait(MapTrait.class).valueFieldInfo();
                g.writeStartObject();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    if (e.getValue() == null) {
                        g.writeNull();
                    } else {
                        writeValue(g, valueField, e.getValue());
                    }
                }
                g.writeEndObject();
                break;
            default:
                throw new IllegalStateException("Cannot write " + field.locationName() + " of type " + field.marshallingType());
        }
    }

    private ApiException wrongType(JsonParser p, String path, String expected) {
        return serialization("Expected " + expected + " for '" + path + "' but found " + describe(p.currentToken()) + ".");
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
                return "an integer";
            case VALUE_NUMBER_FLOAT:
                return "a decimal number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.toString();
        }
    }

    private static ApiException serialization(String message) {
        return new ApiException("SerializationException", 400, message);
    }

    private ApiException validation(String message) {
        return new ApiException(validationErrorType, 400, message);
    }
}
