package dev.ecsemu.api.registry;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks tests that run the {@code skopeo} CLI (Debian package skopeo). Without it they are skipped on a
 * developer's machine, but fail when {@code CI=true}, so a missing tool is never a silent green in CI.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SkopeoCondition.class)
@interface RequiresSkopeo {
}
