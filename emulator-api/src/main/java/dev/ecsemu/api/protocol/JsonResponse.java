package dev.ecsemu.api.protocol;

/** What a JSON 1.1 call answers: status, body, and the error type when it is an error. */
public record JsonResponse(int status, byte[] body, String errorType) {
}
