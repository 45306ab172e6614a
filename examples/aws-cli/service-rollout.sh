#!/usr/bin/env bash
# The AWS CLI against ecs-emu: a service of 3 tasks rolls out a new task definition revision under
# minimumHealthyPercent/maximumPercent, and the services-stable waiter sees it through.
#
#   ./ecs-emu start --instances 3 --time-scale 0.05 &   # in another terminal; 0.05 turns ECS's 40 s
#                                                       # settle period into 2 s
#   examples/aws-cli/service-rollout.sh                 # ECS_EMU_ENDPOINT defaults to http://127.0.0.1:5327
#
# ECS_EMU_EXAMPLE_IMAGE replaces the image (default busybox:latest) with one you have locally.
# The AWS CLI's services-stable waiter polls every 15 s, so each wait takes at least that long.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
endpoint="${ECS_EMU_ENDPOINT:-http://127.0.0.1:5327}"
image="${ECS_EMU_EXAMPLE_IMAGE:-busybox:latest}"

export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_PAGER=""
ecs() { aws --endpoint-url "$endpoint" ecs "$@"; }
cluster=shop-demo

echo "== create-cluster and three container instances (emulated m5.large in three zones)"
ecs create-cluster --cluster-name "$cluster" --query 'cluster.status' --output text
for zone in a b c; do
  ecs register-container-instance --cluster "$cluster" \
      --instance-identity-document "{\"instanceId\":\"i-0shop$zone\",\"instanceType\":\"m5.large\",\"availabilityZone\":\"us-east-1$zone\"}" \
      --query 'containerInstance.ec2InstanceId' --output text
done

echo "== register-task-definition twice: revision 1 (v1) and revision 2 (v2)"
taskdef="$(mktemp)"
trap 'rm -f "$taskdef"' EXIT
sed "s#busybox:latest#$image#" "$here/service-task-definition.json" > "$taskdef"
ecs register-task-definition --cli-input-json "file://$taskdef" --query 'taskDefinition.taskDefinitionArn' --output text
sed -i 's#"v1"#"v2"#' "$taskdef"
ecs register-task-definition --cli-input-json "file://$taskdef" --query 'taskDefinition.taskDefinitionArn' --output text

echo "== create-service on revision 1: 3 tasks, spread over the zones"
ecs create-service --cluster "$cluster" --service-name shop --task-definition shop:1 --desired-count 3 \
    --deployment-configuration 'minimumHealthyPercent=50,maximumPercent=200' \
    --query 'service.[serviceName,status,desiredCount]' --output text
ecs wait services-stable --cluster "$cluster" --services shop
ecs describe-services --cluster "$cluster" --services shop --query 'services[0].[runningCount,taskDefinition]' --output text

echo "== update-service to revision 2, then wait services-stable"
ecs update-service --cluster "$cluster" --service shop --task-definition shop:2 \
    --query 'service.deployments[].[status,taskDefinition]' --output text
ecs wait services-stable --cluster "$cluster" --services shop

echo "== one deployment left: PRIMARY, COMPLETED, on revision 2"
ecs describe-services --cluster "$cluster" --services shop \
    --query 'services[0].deployments[].[status,rolloutState,taskDefinition,runningCount]' --output text
echo "== the newest events"
ecs describe-services --cluster "$cluster" --services shop --query 'services[0].events[:3].message' --output text | tr '\t' '\n'

echo "== delete-service --force, then wait services-inactive"
ecs delete-service --cluster "$cluster" --service shop --force --query 'service.status' --output text
ecs wait services-inactive --cluster "$cluster" --services shop
ecs describe-services --cluster "$cluster" --services shop --query 'services[0].[status,runningCount]' --output text
