#!/usr/bin/env bash
# The walkthrough: the AWS CLI and the docker CLI against ecs-emu, from nothing to a service rolled out to a new
# image. A cluster, an ECR repository (docker login, build, push), a task definition naming the pushed image, a
# service of two tasks reached over HTTP, then v2 pushed, a new revision, update-service, and the rollout seen
# through until every task answers v2.
#
#   ./ecs-emu start --instances 2 --time-scale 0.05 &   # in another terminal (engine docker); 0.05 turns
#                                                       # ECS's 40 s settle period into 2 s
#   examples/aws-cli/walkthrough.sh                     # ECS_EMU_ENDPOINT defaults to http://127.0.0.1:5327
#
# ECS_EMU_EXAMPLE_IMAGE is the base image to build from (default busybox:latest), one you have locally.
# DOCKER_CONFIG is left as you have it unless set: docker login stores the emulator's password there.
set -euo pipefail
endpoint="${ECS_EMU_ENDPOINT:-http://127.0.0.1:5327}"
base="${ECS_EMU_EXAMPLE_IMAGE:-busybox:latest}"

export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_PAGER=""
aws_() { aws --endpoint-url "$endpoint" "$@"; }
ecs() { aws_ ecs "$@"; }
cluster=default      # ecs-emu start --instances N registers N container instances into it
service=walkthrough

# The AWS CLI's services-stable waiter polls every 15 s; this polls every second for the same condition:
# one deployment, as many tasks running as desired.
wait_stable() {
  for _ in $(seq 1 120); do
    if [ "$(ecs describe-services --cluster "$cluster" --services "$service" \
        --query 'length(services[0].deployments) == `1` && services[0].runningCount == services[0].desiredCount' \
        --output text)" = "True" ]; then
      return 0
    fi
    sleep 1
  done
  echo "the service did not become stable within 2 minutes" >&2
  return 1
}

# Every running task of the service, asked over HTTP on its host port.
answers() {
  local tasks
  tasks="$(ecs list-tasks --cluster "$cluster" --service-name "$service" --desired-status RUNNING --query 'taskArns' --output text)"
  ecs describe-tasks --cluster "$cluster" --tasks $tasks \
      --query 'tasks[].containers[0].networkBindings[0].[bindIP,hostPort]' --output text \
    | while read -r ip port; do
        [ "$ip" = "0.0.0.0" ] && ip=127.0.0.1
        for _ in $(seq 1 50); do curl -fsS "http://$ip:$port/" && break; sleep 0.1; done
      done | sort | uniq -c | sed 's/^ *//'
}

build_and_push() {   # version
  local ctx
  ctx="$(mktemp -d)"
  mkdir -p "$ctx/www"
  echo "$1" > "$ctx/www/index.html"
  printf 'FROM %s\nCOPY www /www\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n' "$base" > "$ctx/Dockerfile"
  docker build -q -t "$repo:$1" "$ctx" >/dev/null
  rm -rf "$ctx"
  docker push "$repo:$1" >/dev/null
  echo "pushed $repo:$1"
}

register_revision() {   # version
  ecs register-task-definition --family "$service" --container-definitions \
      "[{\"name\":\"web\",\"image\":\"$repo:$1\",\"memory\":32,\"stopTimeout\":2,\"portMappings\":[{\"containerPort\":8080,\"hostPort\":0}]}]" \
      --query 'taskDefinition.taskDefinitionArn' --output text
}

echo "== 1. cluster (create-cluster answers the existing one)"
ecs create-cluster --cluster-name "$cluster" --query 'cluster.[clusterName,status,registeredContainerInstancesCount]' --output text

echo "== 2. ECR: create-repository, docker login, build and push v1"
repo="$(aws_ ecr create-repository --repository-name walkthrough/web --query 'repository.repositoryUri' --output text)"
echo "$repo"
aws_ ecr get-login-password | docker login --username AWS --password-stdin "${repo%%/*}"
build_and_push v1

echo "== 3. task definition naming the pushed image"
register_revision v1

echo "== 4. service of 2 tasks, then wait until stable"
ecs create-service --cluster "$cluster" --service-name "$service" --task-definition "$service:1" --desired-count 2 \
    --deployment-configuration 'minimumHealthyPercent=50,maximumPercent=200' \
    --query 'service.[serviceName,status,desiredCount]' --output text
wait_stable
echo "the tasks answer:"
answers

echo "== 5. push v2, register revision 2, update-service, wait until the rollout is done"
build_and_push v2
register_revision v2
ecs update-service --cluster "$cluster" --service "$service" --task-definition "$service:2" --query 'service.taskDefinition' --output text
wait_stable
ecs describe-services --cluster "$cluster" --services "$service" \
    --query 'services[0].deployments[].[status,rolloutState,taskDefinition,runningCount]' --output text
echo "the tasks answer:"
answers

echo "== 6. clean up: delete-service --force"
ecs delete-service --cluster "$cluster" --service "$service" --force --query 'service.status' --output text
echo "== done"
