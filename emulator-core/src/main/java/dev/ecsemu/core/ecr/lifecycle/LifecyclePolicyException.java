package dev.ecsemu.core.ecr.lifecycle;

import dev.ecsemu.core.error.ApiException;

/**
 * A lifecycle policy text ECR would refuse. It reaches the client as ECR's
 * {@code InvalidParameterException} (400), the error PutLifecyclePolicy and
 * StartLifecyclePolicyPreview answer for a bad policy.
 */
public final class LifecyclePolicyException extends ApiException {
    private static final long serialVersionUID = 1L;

    LifecyclePolicyException(String message) {
        super("InvalidParameterException", 400, message);
    }

    /** A refusal in ECR's wording for a policy that fails its validation. */
    static LifecyclePolicyException validationFailure(String detail) {
        return new LifecyclePolicyException("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: "
                + "'Lifecycle policy validation failure: " + detail + "'");
    }
}
