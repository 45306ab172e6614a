package dev.ecsemu.core.ecr.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy text as plain values for the schema checks: {@code Map<String, Object>} (keys in
 * document order, a repeated key keeps its last value), {@code List<Object>}, {@code String},
 * {@code BigInteger} for numbers written without fraction or exponent, {@code BigDecimal} for the
 * others (as JSON Schema tells integers from numbers), {@code Boolean}, and {@link #NULL}.
 */
final class PolicyJson {
    /** JSON {@code null}, kept apart from an absent member. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PolicyJson() {
    }

    /** The value the text holds, or null when it is not exactly one JSON value. */
    static Object read(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            return root == null || root.isMissingNode() ? null : value(root);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Object value(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT: {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    out.put(e.getKey(), value(e.getValue()));
                }
                return out;
            }
            case ARRAY: {
                List<Object> out = new ArrayList<>(node.size());
                node.forEach(item -> out.add(value(item)));
                return out;
            }
            case STRING:
                return node.textValue();
            case NUMBER:
                return node.isIntegralNumber() ? node.bigIntegerValue() : node.decimalValue();
            case BOOLEAN:
                return node.booleanValue();
            default:
                return NULL;
        }
    }
}
