package dev.ecsemu.core.network;

import dev.ecsemu.core.error.EcsErrors;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;

/**
 * What RunTask, CreateService and UpdateService accept as {@code networkConfiguration}: required for
 * an awsvpc task definition, refused for any other, with ECS's limits (1–16 subnets, at most 5
 * security groups) and refusals. Subnets and security groups are not looked up (ecs-emu has no VPC):
 * any well-formed id is taken.
 */
public final class AwsvpcRules {
    static final int MAX_SUBNETS = 16;
    static final int MAX_SECURITY_GROUPS = 5;
    private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-zA-Z]{1,64}");
    private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-zA-Z]{1,64}");

    private AwsvpcRules() {
    }

    /**
     * The awsvpc configuration a task of this definition runs with (assignPublicIp defaulted to
     * DISABLED), or null when the definition's network mode is not awsvpc.
     */
    public static AwsVpcConfiguration check(NetworkMode mode, NetworkConfiguration network, LaunchType launchType) {
        AwsVpcConfiguration vpc = network == null ? null : network.awsvpcConfiguration();
        if (mode != NetworkMode.AWSVPC) {
            if (vpc != null) {
                throw EcsErrors.invalidParameter("Network Configuration is not valid for the given networkMode of this task definition.");
            }
            return null;
        }
        if (vpc == null) {
            throw EcsErrors.invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        }
        List<String> subnets = vpc.subnets();
        if (subnets.isEmpty()) {
            throw EcsErrors.invalidParameter("subnets can not be empty.");
        }
        if (subnets.size() > MAX_SUBNETS) {
            throw EcsErrors.invalidParameter("subnets can have at most " + MAX_SUBNETS + " items; " + subnets.size() + " were given.");
        }
        for (String s : subnets) {
            if (s == null || !SUBNET.matcher(s).matches()) {
                throw EcsErrors.invalidParameter("Error retrieving subnet information for [" + s + "]: The subnet ID '" + s
                        + "' is malformed (ErrorCode: InvalidSubnetID.Malformed)");
            }
        }
        List<String> groups = vpc.securityGroups();
        if (groups.size() > MAX_SECURITY_GROUPS) {
            throw EcsErrors.invalidParameter("securityGroups can have at most " + MAX_SECURITY_GROUPS + " items; " + groups.size()
                    + " were given.");
        }
        for (String g : groups) {
            if (g == null || !SECURITY_GROUP.matcher(g).matches()) {
                throw EcsErrors.invalidParameter("Error retrieving security group information for [" + g + "]: The security group '" + g
                        + "' is malformed (ErrorCode: InvalidGroupId.Malformed)");
            }
        }
        if (vpc.assignPublicIp() == AssignPublicIp.UNKNOWN_TO_SDK_VERSION) {
            throw EcsErrors.invalidParameter("assignPublicIp must be ENABLED or DISABLED; got " + vpc.assignPublicIpAsString() + ".");
        }
        AssignPublicIp publicIp = vpc.assignPublicIp() == null ? AssignPublicIp.DISABLED : vpc.assignPublicIp();
        if (publicIp == AssignPublicIp.ENABLED && launchType != LaunchType.FARGATE) {
            throw EcsErrors.invalidParameter("Assign public IP is not supported for this launch type.");
        }
        return vpc.toBuilder().assignPublicIp(publicIp).build();
    }
}
