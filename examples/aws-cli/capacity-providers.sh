#!/usr/bin/env bash
# Capacity providers with the AWS CLI against ecs-emu: an Auto Scaling group capacity provider whose
# managed scaling grows an empty cluster for a service of 6 tasks of 1 vCPU and empties it again,
# then FARGATE / FARGATE_SPOT splitting 9 tasks by base and weight, and a Spot interruption.
#
#   ./ecs-emu start --time-scale 0.01 &        # in another terminal; any engine (none is enough)
#   examples/aws-cli/capacity-providers.sh     # ECS_EMU_ENDPOINT defaults to http://127.0.0.1:5327
#
# With --time-scale 0.01 the 15 minutes ECS waits before it scales in take 9 s.
set -euo pipefail
endpoint="${ECS_EMU_ENDPOINT:-http://127.0.0.1:5327}"
image="${ECS_EMU_EXAMPLE_IMAGE:-busybox:latest}"

export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_PAGER=""
ecs() { aws --endpoint-url "$endpoint" ecs "$@"; }
cluster=asg-demo

# Waits (up to 60 s) until the cluster has $1 container instances.
wait_instances() {
  for _ in $(seq 1 300); do
    n="$(ecs list-container-instances --cluster "$cluster" --query 'length(containerInstanceArns)' --output text)"
    [ "$n" = "$1" ] && return 0
    sleep 0.2
  done
  echo "the cluster still has $n container instances, not $1" >&2
  return 1
}

echo "== create-capacity-provider (emulated Auto Scaling group of m5.large, 0 to 5 instances)"
ecs create-capacity-provider --name web-asg \
    --auto-scaling-group-provider 'autoScalingGroupArn=arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:1:autoScalingGroupName/web,managedScaling={status=ENABLED,targetCapacity=100,instanceWarmupPeriod=60}' \
    --tags key=ecs-emu:instance-type,value=m5.large key=ecs-emu:max-size,value=5 \
    --query 'capacityProvider.[name,status,autoScalingGroupProvider.managedScaling.status]' --output text
ecs describe-capacity-providers --query 'capacityProviders[].name' --output text

echo "== create-cluster with web-asg as its default strategy"
ecs create-cluster --cluster-name "$cluster" --capacity-providers web-asg \
    --default-capacity-provider-strategy capacityProvider=web-asg,weight=1 --query 'cluster.capacityProviders' --output text

echo "== a service of 6 tasks of 1 vCPU: managed scaling launches 3 instances (2 vCPU each)"
ecs register-task-definition --family one-vcpu \
    --container-definitions "[{\"name\":\"main\",\"image\":\"$image\",\"cpu\":1024,\"memory\":64,\"command\":[\"sleep\",\"3600\"]}]" \
    --query 'taskDefinition.taskDefinitionArn' --output text
ecs create-service --cluster "$cluster" --service-name web --task-definition one-vcpu --desired-count 6 \
    --query 'service.capacityProviderStrategy[0].capacityProvider' --output text
wait_instances 3
for _ in $(seq 1 300); do
  [ "$(ecs describe-services --cluster "$cluster" --services web --query 'services[0].runningCount' --output text)" = 6 ] && break
  sleep 0.2
done
instances="$(ecs list-container-instances --cluster "$cluster" --query 'containerInstanceArns' --output text)"
# shellcheck disable=SC2086
ecs describe-container-instances --cluster "$cluster" --container-instances $instances \
    --query 'containerInstances[].[capacityProviderName,runningTasksCount]' --output text

echo "== scale the service to 0: the idle instances go after 15 minutes (x the time scale)"
ecs update-service --cluster "$cluster" --service web --desired-count 0 --query 'service.desiredCount' --output text
wait_instances 0
echo "instances: 0"

echo "== FARGATE base 1 weight 1, FARGATE_SPOT weight 3 over 9 tasks"
ecs put-cluster-capacity-providers --cluster "$cluster" --capacity-providers web-asg FARGATE FARGATE_SPOT \
    --default-capacity-provider-strategy capacityProvider=web-asg,weight=1 --query 'cluster.capacityProviders' --output text
ecs register-task-definition --family api --network-mode awsvpc --requires-compatibilities FARGATE --cpu 256 --memory 512 \
    --container-definitions "[{\"name\":\"api\",\"image\":\"$image\",\"command\":[\"sleep\",\"3600\"]}]" \
    --query 'taskDefinition.taskDefinitionArn' --output text
ecs run-task --cluster "$cluster" --task-definition api --count 9 \
    --network-configuration 'awsvpcConfiguration={subnets=[subnet-0a1b2c3d4e5f60718]}' \
    --capacity-provider-strategy capacityProvider=FARGATE,base=1,weight=1 capacityProvider=FARGATE_SPOT,weight=3 \
    --query 'tasks[].capacityProviderName' --output text | tr '\t' '\n' | sort | uniq -c

echo "== interrupt one FARGATE_SPOT task"
# shellcheck disable=SC2046
spot="$(ecs describe-tasks --cluster "$cluster" --tasks $(ecs list-tasks --cluster "$cluster" --family api --query 'taskArns' --output text) \
    --query 'tasks[?capacityProviderName==`FARGATE_SPOT`] | [0].taskArn' --output text)"
curl -fsS -X POST "$endpoint/_ecs-emu/spot-interruption" -d "{\"taskArn\": \"$spot\"}"
echo
ecs wait tasks-stopped --cluster "$cluster" --tasks "$spot"
ecs describe-tasks --cluster "$cluster" --tasks "$spot" --query 'tasks[0].[lastStatus,stopCode,stoppedReason]' --output text
