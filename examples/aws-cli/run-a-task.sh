#!/usr/bin/env bash
# The AWS CLI against ecs-emu: register a container instance, run a task as a real container, reach
# it on its dynamic host port, stop it, and use the tasks-running / tasks-stopped waiters.
#
#   ./ecs-emu start &                          # in another terminal (engine docker)
#   examples/aws-cli/run-a-task.sh             # ECS_EMU_ENDPOINT defaults to http://127.0.0.1:5327
#
# ECS_EMU_EXAMPLE_IMAGE replaces the image (default busybox:latest) with one you have locally.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
endpoint="${ECS_EMU_ENDPOINT:-http://127.0.0.1:5327}"
image="${ECS_EMU_EXAMPLE_IMAGE:-busybox:latest}"

export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_PAGER=""
ecs() { aws --endpoint-url "$endpoint" ecs "$@"; }
cluster=tasks-demo

echo "== create-cluster and register-container-instance (an emulated m5.large)"
ecs create-cluster --cluster-name "$cluster" --query 'cluster.status' --output text
ecs register-container-instance --cluster "$cluster" \
    --instance-identity-document '{"instanceId":"i-0example","instanceType":"m5.large","availabilityZone":"us-east-1a"}' \
    --query 'containerInstance.[ec2InstanceId,registeredResources[0].integerValue,registeredResources[1].integerValue]' --output text

echo "== register-task-definition (image $image)"
taskdef="$(mktemp)"
trap 'rm -f "$taskdef"' EXIT
sed "s#busybox:latest#$image#" "$here/web-task-definition.json" > "$taskdef"
ecs register-task-definition --cli-input-json "file://$taskdef" --query 'taskDefinition.taskDefinitionArn' --output text

echo "== run-task, then wait tasks-running"
task="$(ecs run-task --cluster "$cluster" --task-definition web --query 'tasks[0].taskArn' --output text)"
echo "$task"
ecs wait tasks-running --cluster "$cluster" --tasks "$task"
ecs describe-tasks --cluster "$cluster" --tasks "$task" --query 'tasks[0].lastStatus' --output text

# bindIP is the container instance's own address (127.1.0.x; 0.0.0.0 with --instance-addresses shared).
read -r ip port < <(ecs describe-tasks --cluster "$cluster" --tasks "$task" \
    --query 'tasks[0].containers[0].networkBindings[0].[bindIP,hostPort]' --output text)
[ "$ip" = "0.0.0.0" ] && ip=127.0.0.1
echo "== the container answers on $ip:$port"
for _ in $(seq 1 50); do
  if body="$(curl -fsS "http://$ip:$port/")"; then break; fi
  sleep 0.1
done
echo "$body"

echo "== stop-task, then wait tasks-stopped"
ecs stop-task --cluster "$cluster" --task "$task" --query 'task.desiredStatus' --output text
ecs wait tasks-stopped --cluster "$cluster" --tasks "$task"
ecs describe-tasks --cluster "$cluster" --tasks "$task" \
    --query 'tasks[0].[lastStatus,stopCode,stoppedReason]' --output text
